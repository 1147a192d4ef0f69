using Xunit.Abstractions;
using System.Diagnostics;
using System.Net.Sockets;
using AsymML.Boundary.Codec;
using AsymML.Boundary.Messages;
using AsymML.Boundary.Session;
using AsymML.Network;

namespace AsymML.Tests.Execution;

/// <summary>How the enclave process ends when its host goes away: between messages it is a clean end (exit 0); in
/// the middle of a frame the session is broken, and the process says so and exits 1. The test is the host, on a
/// plain socket, so that it can stop anywhere in a frame.</summary>
public sealed class EnclaveProcessEndTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(2); // a loaded machine is slow, never wrong
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(false, 0, "")]
    [InlineData(true, 1, "asymml-enclave: the enclave stopped: The host side closed the connection in the middle of a frame.")]
    public async Task AHostThatLeavesMidFrameMakesTheEnclaveExitWithAReason(bool midFrame, int expectedCode, string expectedStderr)
    {
        string socketPath = _dir.File("e.sock");
        string settingsPath = _dir.File("settings.json");
        new EnclaveLaunchSettings(EnclaveSettings.TeeOnly(TestNetworks.HandBuilt()), Threads: 1).Write(settingsPath);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(1);

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in (string[])["exec", Path.Combine(AppContext.BaseDirectory, "AsymML.EnclaveProcess.dll"), "--socket", socketPath, "--settings", settingsPath])
            start.ArgumentList.Add(a);
        using Process child = Process.Start(start)!;
        Task<string> stderr = child.StandardError.ReadToEndAsync();
        using (Socket host = await listener.AcceptAsync().WaitAsync(Generous)) // TimeoutException if it never connects
        {
            if (midFrame) host.Send(FrameCodec.Encode(new ErrorMessage("cut short"))[..10]); // length prefix and part of the body
            host.Shutdown(SocketShutdown.Both);
        }

        await child.WaitForExitAsync().WaitAsync(Generous); // TimeoutException if it never ends
        string text = await stderr;
        output.WriteLine($"exit {child.ExitCode}: {text}");
        Assert.Equal(expectedCode, child.ExitCode);
        Assert.Equal(expectedStderr, text.Trim());
    }
}
