return AsymML.Cli.CliApp.Run(args);
