using System.Globalization;
using System.Text;
using DurableKube.Ports.Runtime;
using DurableKube.Runtime.Process.Processes;
using DurableKube.Runtime.Process.Volumes;

namespace DurableKube.Runtime.Process.Tests;

/// <summary>Volumes on the process runtime: placed under the pod's folder, bound at their mount paths in a mount namespace per container.</summary>
public sealed class VolumeTests
{
    /// <summary>A folder that exists on no host: mount points under it must be created inside the container's namespace only.</summary>
    private static readonly string Absent = "/dk-absent-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task An_emptyDir_is_shared_by_the_containers_of_a_pod()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await CreatePodAsync(runtime, "p1", new SandboxVolume("shared", SandboxVolumeKind.EmptyDir));
        var data = $"{Absent}/data";
        var writer = Mounting(TestRoot.Launch("p1", "writer", 0, "sh", "-c", $"echo hi > {data}/x; sleep 300"), new VolumeMountSpec("shared", data));
        var reader = Mounting(
            TestRoot.Launch("p1", "reader", 0, "sh", "-c", $"while ! cat {data}/x 2>/dev/null; do sleep 0.05; done; sleep 300"), new VolumeMountSpec("shared", data));

        await runtime.StartContainerAsync(writer);
        await runtime.StartContainerAsync(reader);

        await TestRoot.EventuallyAsync(async () => (await TestRoot.ReadLogAsync(runtime, reader.Id)).Any(l => l.Content == "hi"));
        Assert.Equal("hi\n", await File.ReadAllTextAsync(Path.Combine(root.Path, "pods", "p1", "volumes", "shared", "x")));
        Assert.False(Path.Exists(Absent));
    }

    [Fact]
    public async Task A_files_volume_is_read_only_at_a_path_the_host_does_not_have()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await CreatePodAsync(runtime, "p1", FilesVolume("config", ("greeting", "hello"), ("conf/app.yaml", "a: 1")));
        var config = $"{Absent}/etc/config";
        var launch = Mounting(
            TestRoot.Launch("p1", "app", 0, "sh", "-c", $"cat {config}/greeting; echo; cat {config}/conf/app.yaml; echo; touch {config}/new && echo wrote || echo refused"),
            new VolumeMountSpec("config", config));

        await runtime.StartContainerAsync(launch);
        var exit = await TestRoot.WaitForExitAsync(runtime, launch.Id);
        var lines = await TestRoot.ReadLogAsync(runtime, launch.Id);

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal(["hello", "a: 1", "refused"], lines.Where(l => l.Stream == "stdout").Select(l => l.Content));
        Assert.Contains(lines, l => l.Stream == "stderr" && l.Content.Contains("Read-only file system", StringComparison.Ordinal));
        Assert.False(Path.Exists(Absent));
    }

    [Fact]
    public async Task A_missing_mount_point_under_an_existing_folder_is_not_created_on_the_host()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await CreatePodAsync(runtime, "p1", new SandboxVolume("scratch", SandboxVolumeKind.EmptyDir));
        var parent = Path.Combine(root.Path, "existing");
        Directory.CreateDirectory(parent);
        await File.WriteAllTextAsync(Path.Combine(parent, "kept"), "still here");
        var launch = Mounting(
            TestRoot.Launch("p1", "app", 0, "sh", "-c", $"cat {parent}/kept; echo; echo in > {parent}/new/f && cat {parent}/new/f; ls /proc/self/ >/dev/null && echo proc"),
            new VolumeMountSpec("scratch", $"{parent}/new"));

        await runtime.StartContainerAsync(launch);
        var exit = await TestRoot.WaitForExitAsync(runtime, launch.Id);
        var lines = await TestRoot.ReadLogAsync(runtime, launch.Id);

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal(["still here", "in", "proc"], lines.Select(l => l.Content));
        Assert.False(Path.Exists(Path.Combine(parent, "new")));
        Assert.Equal("in\n", await File.ReadAllTextAsync(Path.Combine(root.Path, "pods", "p1", "volumes", "scratch", "f")));
    }

    [Fact]
    public async Task Mount_points_under_the_root_and_under_etc_are_made_in_the_namespace_only_and_the_hosts_files_stay_visible()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await CreatePodAsync(runtime, "p1", new SandboxVolume("data", SandboxVolumeKind.EmptyDir), FilesVolume("config", ("k", "v")));
        var etc = "/etc/" + Absent.TrimStart('/');
        var launch = Mounting(
            TestRoot.Launch("p1", "app", 0, "sh", "-c", $"cat {etc}/k; echo; head -c 4 /etc/os-release; echo; echo w > {Absent}/data/f && cat {Absent}/data/f; ls -d /proc/self/fd"),
            new VolumeMountSpec("data", $"{Absent}/data"),
            new VolumeMountSpec("config", etc));

        await runtime.StartContainerAsync(launch);
        var exit = await TestRoot.WaitForExitAsync(runtime, launch.Id);
        var lines = await TestRoot.ReadLogAsync(runtime, launch.Id);

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal(["v", (await File.ReadAllTextAsync("/etc/os-release"))[..4], "w", "/proc/self/fd"], lines.Select(l => l.Content));
        Assert.False(Path.Exists(Absent));
        Assert.False(Path.Exists(etc));
    }

    [Fact]
    public async Task A_read_only_mount_refuses_writes_that_a_writable_mount_of_the_same_volume_allows()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await CreatePodAsync(runtime, "p1", new SandboxVolume("data", SandboxVolumeKind.EmptyDir));
        var launch = Mounting(
            TestRoot.Launch("p1", "app", 0, "sh", "-c", $"echo a > {Absent}/rw/f && echo rw-ok; echo b > {Absent}/ro/g && echo ro-wrote || echo ro-refused; cat {Absent}/ro/f"),
            new VolumeMountSpec("data", $"{Absent}/rw"),
            new VolumeMountSpec("data", $"{Absent}/ro", ReadOnly: true));

        await runtime.StartContainerAsync(launch);
        await TestRoot.WaitForExitAsync(runtime, launch.Id);
        var lines = await TestRoot.ReadLogAsync(runtime, launch.Id);

        Assert.Equal(["rw-ok", "ro-refused", "a"], lines.Where(l => l.Stream == "stdout").Select(l => l.Content));
    }

    [Fact]
    public async Task A_sub_path_binds_that_path_of_the_volume_and_is_created_when_missing()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await CreatePodAsync(
            runtime, "p1", new SandboxVolume("data", SandboxVolumeKind.EmptyDir), FilesVolume("config", ("app.conf", "port=80"), ("other", "x")));
        var launch = Mounting(
            TestRoot.Launch("p1", "app", 0, "sh", "-c", $"echo s > {Absent}/sub/f; cat {Absent}/app.conf; echo; ls {Absent}/sub"),
            new VolumeMountSpec("data", $"{Absent}/sub") { SubPath = "nested/dir" },
            new VolumeMountSpec("config", $"{Absent}/app.conf") { SubPath = "app.conf" });

        await runtime.StartContainerAsync(launch);
        var exit = await TestRoot.WaitForExitAsync(runtime, launch.Id);
        var lines = await TestRoot.ReadLogAsync(runtime, launch.Id);

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal(["port=80", "f"], lines.Select(l => l.Content));
        Assert.Equal("s\n", await File.ReadAllTextAsync(Path.Combine(root.Path, "pods", "p1", "volumes", "data", "nested", "dir", "f")));
    }

    [Fact]
    public async Task A_mount_that_fails_in_the_namespace_is_a_start_error_and_nothing_runs()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await CreatePodAsync(runtime, "p1", FilesVolume("config", ("k", "v")));
        var marker = Path.Combine(root.Path, "ran");
        var folder = Directory.CreateDirectory(Path.Combine(root.Path, "a-folder")).FullName;
        var launch = Mounting(TestRoot.Launch("p1", "app", 0, "touch", marker), new VolumeMountSpec("config", folder) { SubPath = "k" });

        await runtime.StartContainerAsync(launch);
        var exit = await TestRoot.WaitForExitAsync(runtime, launch.Id);

        Assert.Equal((128, "StartError"), (exit.ExitCode, exit.Reason));
        Assert.True(exit.Message!.Contains("error mounting", StringComparison.Ordinal), exit.Message);
        Assert.Contains($"to rootfs at \"{folder}\"", exit.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task A_sub_path_that_leaves_the_volume_is_refused()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await CreatePodAsync(runtime, "p1", new SandboxVolume("data", SandboxVolumeKind.EmptyDir));
        var volume = Path.Combine(root.Path, "pods", "p1", "volumes", "data");
        File.CreateSymbolicLink(Path.Combine(volume, "escape"), "/etc");
        var launch = Mounting(TestRoot.Launch("p1", "app", 0, "true"), new VolumeMountSpec("data", "/x") { SubPath = "escape" });

        var error = await Assert.ThrowsAsync<ContainerRuntimeException>(() => runtime.StartContainerAsync(launch));

        Assert.False(error.Transient);
        Assert.Contains("subpath \"escape\" not within volume path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_update_swaps_the_files_under_a_running_reader_and_a_sub_path_keeps_the_old_file()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await CreatePodAsync(runtime, "p1", FilesVolume("config", ("greeting", "one")));
        var config = $"{Absent}/config";
        var launch = Mounting(
            TestRoot.Launch("p1", "app", 0, "sh", "-c", $"while true; do echo \"$(cat {config}/greeting)|$(cat {Absent}/pinned)\"; sleep 0.05; done"),
            new VolumeMountSpec("config", config),
            new VolumeMountSpec("config", $"{Absent}/pinned") { SubPath = "greeting" });
        await runtime.StartContainerAsync(launch);
        await TestRoot.EventuallyAsync(async () => (await TestRoot.ReadLogAsync(runtime, launch.Id)).Any(l => l.Content == "one|one"));

        await runtime.UpdateVolumeAsync("p1", FilesVolume("config", ("greeting", "two"), ("added", "new")));

        await TestRoot.EventuallyAsync(async () => (await TestRoot.ReadLogAsync(runtime, launch.Id)).Any(l => l.Content == "two|one"));
        var lines = (await TestRoot.ReadLogAsync(runtime, launch.Id)).Select(l => l.Content).ToList();
        Assert.All(lines, line => Assert.Contains(line, new[] { "one|one", "two|one" }));
        var folder = Path.Combine(root.Path, "pods", "p1", "volumes", "config");
        Assert.Equal(["..data", "added", "greeting"], Entries(folder).Where(e => !e.StartsWith("..2", StringComparison.Ordinal)));
        Assert.Single(Entries(folder), e => e.StartsWith("..2", StringComparison.Ordinal));
        Assert.Equal("..data/greeting", new FileInfo(Path.Combine(folder, "greeting")).LinkTarget);
    }

    [Fact]
    public async Task Files_get_their_modes_and_the_kubelets_layout()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await CreatePodAsync(runtime, "p1", FilesVolume("secret", ("token", "s3cr3t")) with
        {
            Files = [new VolumeFile("token", Encoding.UTF8.GetBytes("s3cr3t"), 0x180), new VolumeFile("dir/ca.crt", Encoding.UTF8.GetBytes("ca"))],
        });

        var folder = Path.Combine(root.Path, "pods", "p1", "volumes", "secret");
        var data = new DirectoryInfo(Path.Combine(folder, "..data")).LinkTarget!;
        Assert.Matches(@"^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.\d+$", data);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, data, "token")));
        Assert.Equal((UnixFileMode)0x1A4, File.GetUnixFileMode(Path.Combine(folder, data, "dir", "ca.crt")));
        Assert.Equal("..data/dir", new FileInfo(Path.Combine(folder, "dir")).LinkTarget);
        Assert.Equal("ca", await File.ReadAllTextAsync(Path.Combine(folder, "dir", "ca.crt")));
    }

    [Fact]
    public async Task Exec_sees_the_containers_volumes_and_working_directory()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await CreatePodAsync(runtime, "p1", FilesVolume("config", ("greeting", "hello")));
        var config = $"{Absent}/config";
        var launch = Mounting(TestRoot.Launch("p1", "app", 0, "sleep", "300"), new VolumeMountSpec("config", config)) with { WorkingDirectory = config };
        await runtime.StartContainerAsync(launch);

        await using var session = await runtime.ExecAsync(launch.Id, new ExecSpec(["sh", "-c", "cat greeting; echo \"|$(pwd)\""]));
        var (stdout, stderr, code) = await ExecTests.CollectAsync(session);

        Assert.Equal((0, string.Empty, $"hello|{config}\n"), (code, stderr, stdout));
    }

    [Fact]
    public async Task Exec_with_a_terminal_sees_the_containers_volumes_too()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await CreatePodAsync(runtime, "p1", FilesVolume("config", ("greeting", "hello")));
        var launch = Mounting(TestRoot.Launch("p1", "app", 0, "sleep", "300"), new VolumeMountSpec("config", $"{Absent}/config"));
        await runtime.StartContainerAsync(launch);

        await using var session = await runtime.ExecAsync(launch.Id, new ExecSpec(["sh", "-c", $"tty >/dev/null && cat {Absent}/config/greeting; exit 3"]) { Tty = true });
        var (stdout, _, code) = await ExecTests.CollectAsync(session);

        Assert.Equal((3, "hello"), (code, stdout));
    }

    [Fact]
    public async Task A_command_that_lives_in_a_volume_is_found_there()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await CreatePodAsync(runtime, "p1", FilesVolume("scripts", ("run.sh", "#!/bin/sh\necho from-volume\nsleep 300\n")) with
        {
            Files = [new VolumeFile("run.sh", Encoding.UTF8.GetBytes("#!/bin/sh\necho from-volume\nsleep 300\n"), 0x1ED)],
        });
        var launch = Mounting(TestRoot.Launch("p1", "app", 0, $"{Absent}/bin/run.sh"), new VolumeMountSpec("scripts", $"{Absent}/bin"));

        var status = await runtime.StartContainerAsync(launch);

        Assert.Equal(ContainerRunState.Running, status.State);
        await TestRoot.EventuallyAsync(async () => (await TestRoot.ReadLogAsync(runtime, launch.Id)).Any(l => l.Content == "from-volume"));
        await using var session = await runtime.ExecAsync(launch.Id, new ExecSpec(["sh", "-c", $"head -n 2 {Absent}/bin/run.sh"]));
        Assert.Equal("#!/bin/sh\necho from-volume\n", (await ExecTests.CollectAsync(session)).Stdout);
    }

    [Fact]
    public async Task A_stop_signals_the_container_and_a_new_runtime_re_adopts_it_with_its_mounts()
    {
        await using var root = new TestRoot();
        var first = root.CreateRuntime();
        await CreatePodAsync(first, "p1", new SandboxVolume("data", SandboxVolumeKind.EmptyDir));
        var launch = Mounting(TestRoot.Launch("p1", "app", 0, "sh", "-c", $"echo up > {Absent}/d/f; sleep 300 & wait"), new VolumeMountSpec("data", $"{Absent}/d"));
        await first.StartContainerAsync(launch);
        await TestRoot.EventuallyAsync(() => File.Exists(Path.Combine(root.Path, "pods", "p1", "volumes", "data", "f")));
        var pid = root.ContainerPid(launch.Id);
        Assert.Equal("sh", (await File.ReadAllTextAsync($"/proc/{pid}/comm")).Trim());
        Assert.NotEqual(new FileInfo("/proc/self/ns/mnt").LinkTarget, new FileInfo($"/proc/{pid}/ns/mnt").LinkTarget);
        await first.DisposeAsync();

        var second = root.CreateRuntime();
        await second.InitializeAsync();
        await using (var session = await second.ExecAsync(launch.Id, new ExecSpec(["cat", $"{Absent}/d/f"])))
        {
            Assert.Equal((0, string.Empty, "up\n"), Swap(await ExecTests.CollectAsync(session)));
        }

        await second.StopContainerAsync(launch.Id, StopMode.Graceful);
        var exit = await TestRoot.WaitForExitAsync(second, launch.Id);

        Assert.Equal(143, exit.ExitCode);
        Assert.Empty(TestRoot.GroupMembers(pid));
    }

    [Fact]
    public async Task Removing_the_sandbox_unmounts_and_deletes_its_volumes()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await CreatePodAsync(runtime, "p1", new SandboxVolume("cache", SandboxVolumeKind.EmptyDir) { InMemory = true, SizeLimitBytes = 1 << 20 });
        var folder = Path.Combine(root.Path, "pods", "p1", "volumes", "cache");
        var launch = Mounting(TestRoot.Launch("p1", "app", 0, "sleep", "300"), new VolumeMountSpec("cache", $"{Absent}/cache"));
        await runtime.StartContainerAsync(launch);
        Assert.True(PodVolumes.IsMountPoint(folder));
        Assert.Contains(File.ReadLines("/proc/self/mountinfo"), line => line.Contains(folder, StringComparison.Ordinal) && line.Contains("size=1024k", StringComparison.Ordinal));

        await runtime.RemoveSandboxAsync("p1");

        Assert.False(PodVolumes.IsMountPoint(folder));
        Assert.False(Directory.Exists(Path.Combine(root.Path, "pods", "p1")));
        Assert.DoesNotContain(File.ReadLines("/proc/self/mountinfo"), line => line.Contains(root.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Where_mount_namespaces_are_not_allowed_a_container_with_mounts_is_refused_and_one_without_runs()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime(mountNamespaces: false);
        await CreatePodAsync(runtime, "p1", new SandboxVolume("data", SandboxVolumeKind.EmptyDir));
        var mounting = Mounting(TestRoot.Launch("p1", "app", 0, "sleep", "300"), new VolumeMountSpec("data", "/data"));

        var error = await Assert.ThrowsAsync<ContainerRuntimeException>(() => runtime.StartContainerAsync(mounting));
        var plain = await runtime.StartContainerAsync(TestRoot.Launch("p1", "plain", 0, "sleep", "300"));

        Assert.False(error.Transient);
        Assert.Equal(
            "the process runtime cannot mount volumes on this node (mount namespaces are turned off (Runtime:Process:MountNamespaces=false)): "
            + "container \"app\" mounts \"data\" at /data and is not run without them",
            error.Message);
        Assert.Null(await runtime.GetContainerAsync(mounting.Id));
        Assert.Equal(ContainerRunState.Running, plain.State);
    }

    [Fact]
    public async Task A_mount_of_a_volume_the_sandbox_was_not_given_is_refused()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var launch = Mounting(TestRoot.Launch("p1", "app", 0, "true"), new VolumeMountSpec("config", "/etc/config"));

        var error = await Assert.ThrowsAsync<ContainerRuntimeException>(() => runtime.StartContainerAsync(launch));

        Assert.StartsWith("MountVolume.SetUp failed for volume \"config\" : ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Directory", "missing", "hostPath type check failed: {0} is not a directory")]
    [InlineData("File", "dir", "hostPath type check failed: {0} is not a file")]
    [InlineData("Socket", "file", "hostPath type check failed: {0} is not a socket file")]
    [InlineData("BlockDevice", "file", "hostPath type check failed: {0} is not a block device")]
    public async Task A_host_path_of_the_wrong_type_fails_the_sandbox_in_the_kubelets_words(string type, string what, string message)
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        var path = Path.Combine(root.Path, "host-" + what);
        if (what == "dir")
        {
            Directory.CreateDirectory(path);
        }
        else if (what == "file")
        {
            await File.WriteAllTextAsync(path, "x");
        }

        var error = await Assert.ThrowsAsync<ContainerRuntimeException>(() => CreatePodAsync(
            runtime, "p1", new SandboxVolume("host", SandboxVolumeKind.HostPath) { HostPath = path, HostPathType = type }));

        Assert.False(error.Transient);
        Assert.Equal($"MountVolume.SetUp failed for volume \"host\" : {string.Format(CultureInfo.InvariantCulture, message, path)}", error.Message);
    }

    [Fact]
    public async Task A_host_path_to_create_is_created_and_bound()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        var directory = Path.Combine(root.Path, "made", "here");
        var file = Path.Combine(root.Path, "made-file");
        await CreatePodAsync(
            runtime,
            "p1",
            new SandboxVolume("dir", SandboxVolumeKind.HostPath) { HostPath = directory, HostPathType = "DirectoryOrCreate" },
            new SandboxVolume("file", SandboxVolumeKind.HostPath) { HostPath = file, HostPathType = "FileOrCreate" });
        var launch = Mounting(
            TestRoot.Launch("p1", "app", 0, "sh", "-c", $"echo d > {Absent}/d/x; echo f > {Absent}/f"),
            new VolumeMountSpec("dir", $"{Absent}/d"),
            new VolumeMountSpec("file", $"{Absent}/f"));

        await runtime.StartContainerAsync(launch);
        var exit = await TestRoot.WaitForExitAsync(runtime, launch.Id);

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal("d\n", await File.ReadAllTextAsync(Path.Combine(directory, "x")));
        Assert.Equal("f\n", await File.ReadAllTextAsync(file));
        Assert.Equal((UnixFileMode)0x1A4, File.GetUnixFileMode(file));
    }

    [Fact]
    public void Container_paths_map_to_the_host_through_the_deepest_mount_and_the_mount_steps_and_a_mid_exec_process_count_as_launching()
    {
        IReadOnlyList<ResolvedMount> mounts = [new("/v/a", "/data", true, false), new("/v/b", "/data/inner", true, false)];
        var tools = new HostTools("/usr/bin/setsid", "/usr/bin/env") { Unshare = "/usr/bin/unshare" };

        Assert.Equal("/v/a/x", MountPaths.ToHost(mounts, "/data/./x"));
        Assert.Equal("/v/b/y", MountPaths.ToHost(mounts, "/data/inner/y"));
        Assert.Equal("/datax/y", MountPaths.ToHost(mounts, "/datax/y"));
        Assert.True(ShimScript.IsLaunching(["/usr/bin/unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "/r/mounts-abc.sh"], "/r", tools));
        Assert.True(ShimScript.IsLaunching(["/bin/sh", "/r/mounts-abc.sh", "/r/pods/u/containers/c/0", "/", "/usr/bin/setsid"], "/r", tools));
        Assert.True(ShimScript.IsLaunching(["chroot", ".", "/bin/sh", "-c", MountScript.ChdirScript, "/"], "/r", tools));
        Assert.True(ShimScript.IsLaunching(["/bin/sh", "-c", MountScript.ChdirScript, "/"], "/r", tools));
        Assert.False(ShimScript.IsLaunching(["/bin/sh", "-c", "echo hi"], "/r", tools));
        Assert.True(ShimScript.IsLaunching([""], "/r", tools));
        Assert.False(ShimScript.IsLaunching(null, "/r", tools));
        Assert.Equal("vol '/v/a' '/data' d rw\nvol '/v/b' '/data/inner' d ro\n", MountScript.BuildMounts([mounts[1] with { ReadOnly = true }, mounts[0]]));
    }

    private static (int, string, string) Swap((string Stdout, string Stderr, int Code) result) => (result.Code, result.Stderr, result.Stdout);

    private static string[] Entries(string folder) =>
        [.. new DirectoryInfo(folder).EnumerateFileSystemInfos().Select(e => e.Name).Order(StringComparer.Ordinal)];

    private static Task CreatePodAsync(IContainerRuntime runtime, string podUid, params SandboxVolume[] volumes) =>
        runtime.CreateSandboxAsync(new SandboxSpec(podUid, "default", $"pod-{podUid}", "node-1") { Volumes = volumes });

    private static SandboxVolume FilesVolume(string name, params (string Path, string Content)[] files) =>
        new(name, SandboxVolumeKind.Files) { Files = [.. files.Select(f => new VolumeFile(f.Path, Encoding.UTF8.GetBytes(f.Content)))] };

    private static ContainerLaunch Mounting(ContainerLaunch launch, params VolumeMountSpec[] mounts) => launch with { VolumeMounts = mounts };
}
