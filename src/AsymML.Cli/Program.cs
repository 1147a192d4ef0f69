System.Console.WriteLine(AsymML.Probe.Run());
