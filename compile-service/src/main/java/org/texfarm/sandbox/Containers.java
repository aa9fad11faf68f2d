package org.texfarm.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Ulimit;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.api.model.WaitResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.texfarm.RandomIds;
import org.texfarm.config.SandboxLimits;
import org.texfarm.config.ShellEscape;
import org.texfarm.sync.KeepBetweenRuns;
import org.texfarm.sync.SafeFiles;

/**
 * The Docker side of sandboxes: creating hardened, labelled containers that wait in their slot
 * for a compile, and killing, renaming, reading and removing them. Blocking calls: use off the
 * event loop.
 */
final class Containers {
    private static final Logger log = LoggerFactory.getLogger(Containers.class);
    /** RLIMIT_CPU beyond the longest timeout, as CLSI sets it: a backstop if the kill fails. */
    private static final long CPU_SECONDS_SLACK = 5;

    /** The smallest CPU weight: a background container runs on what compiles leave idle. */
    private static final int MIN_CPU_SHARES = 2;
    /**
     * The container's own IPC namespace allows no shared memory segment, message queue, semaphore
     * set or POSIX queue (runc applies these; gVisor keeps IPC objects inside its own kernel).
     */
    private static final Map<String, String> NO_IPC = Map.of("kernel.shmmni", "0", "kernel.msgmni", "0",
            "kernel.sem", "0 0 0 0", "fs.mqueue.queues_max", "0");
    /**
     * The CPU quota's accounting period: the longest the kernel allows. With Docker's 100 ms, a
     * single-threaded TeX run plus the launcher's relay is throttled at period ends (about 5% of
     * a short compile); over a second, the same quota averages out.
     */
    private static final Duration CPU_PERIOD = Duration.ofSeconds(1);

    /** The tasks of a container whose launcher waits for a job: init and the launcher. */
    static final int IDLE_TASKS = 2;

    /** What the image wants done in each sandbox before its compile, run while the sandbox waits in the pool. */
    static final String IMAGE_WARM_UP = "/usr/local/lib/texfarm/warm-up";
    /** The launcher's argument that has it compile latexmk once, ahead of a compile sandbox's jobs. */
    static final String PRELOADED = "latexmk";

    /**
     * The container's own process. It makes itself undumpable (see {@link LauncherChannel}), opens
     * the slot's {@code go} and {@code done} FIFOs, runs the image's warm-up hook if it has one, and
     * says it is ready; then, for each line on {@code go} (NUL-separated: the output cap, the time
     * budget in milliseconds, the steps for the PDF, and the command's arguments), it runs
     * the command in the project directory with its stdout and stderr, each up to the cap, in
     * {@code console} and {@code errors}; when asked and time is left, linearizes {@code output.pdf}
     * with qpdf (unless its first 16 KiB say it is already, as CLSI checks) and writes its xref
     * ({@link SandboxJob.PdfSteps}); and resets the sandbox
     * for the project's next job: it kills every other process of its user (all there are but
     * init), and empties /tmp but for the font caches. It reports the command's exit code, what
     * became of the PDF, and whether /tmp is clean on {@code done}, so the service learns of the end
     * at once. It exits when the service closes {@code go}. Perl is in every TeX Live image (latexmk
     * is Perl), so any allowed image can serve.
     * <p>
     * Given the argument {@link #PRELOADED}, it first compiles latexmk's own code, and runs each job
     * whose command is latexmk in a fork of itself: a compile then skips loading Perl and compiling
     * latexmk's 11,000 lines (about 0.1 s of CPU here, each time). An image whose latexmk does not
     * compile so runs it as any other command. Such a sandbox also remembers where kpsewhich found
     * the bibliographies and styles that latexmk looked up, for the project's next jobs (see
     * {@code docs/security.md}), and its report adds how many lookups it answered from memory and
     * how many kpsewhich did.
     */
    static final String LAUNCHER = """
            package Texfarm;
            use Config;
            use File::Path;
            use IO::Select;
            use POSIX ':sys_wait_h';
            use Time::HiRes qw(time alarm);
            # Here, before the launcher declares a variable that latexmk's code could see as one of its own.
            if (@ARGV && $ARGV[0] eq 'latexmk') {
                ($Texfarm::latexmk) = grep { -f } map { "$_/latexmk" } split /:/, $ENV{PATH};
                if (defined $Texfarm::latexmk && open(Texfarm::SOURCE, '<', $Texfarm::latexmk)) {
                    local $/;
                    $Texfarm::source = <Texfarm::SOURCE>;
                    close Texfarm::SOURCE;
                    $Texfarm::source =~ s/\\n__(END|DATA)__\\n.*//s;
                    # In main, as a script; its top-level shift takes from @ARGV, as a script's does.
                    eval 'package main; sub texfarm_latexmk { local *_ = \\@ARGV;'
                        . "\\n#line 1 $Texfarm::latexmk\\n$Texfarm::source\\n}; 1"
                        or do { warn "latexmk is not preloaded: $@"; undef $Texfarm::latexmk };
                    undef $Texfarm::source;
                    # latexmk's sigtrap handlers are for its own process.
                    $SIG{$_} = 'DEFAULT' for qw(HUP INT PIPE TERM);
                    if (defined $Texfarm::latexmk && defined &main::kpsewhich) {
                        $Texfarm::kpsewhich = \\&main::kpsewhich;
                        no warnings 'redefine';
                        *main::kpsewhich = \\&Texfarm::kpsewhich;
                    }
                }
            }
            my ($arch) = $Config{archname} =~ /^([^-]+)/;
            my $prctl = eval { require 'syscall.ph'; &SYS_prctl } // {x86_64 => 157, aarch64 => 167}->{$arch};
            # PR_SET_DUMPABLE 0: the jobs run as this user, yet may not trace it or open its FIFOs through /proc.
            defined $prctl && syscall($prctl, 4, 0, 0, 0, 0) == 0 or die "cannot make the launcher undumpable: $!";
            open(my $go, '<', '/slot/go') or die "no go: $!";
            open(my $done, '>', '/slot/done') or die "no done: $!";
            system('IMAGE_WARM_UP') if -x 'IMAGE_WARM_UP';
            # The font caches stay between a project's jobs (the warm-up's and those its fonts add); nothing else in /tmp does.
            my %cache = map { $_ => 1 } grep { m{^/tmp/[^/]} && !m{/\\.\\.?(/|$)} }
                ("$ENV{TEXMFVAR}/luatex-cache", "$ENV{HOME}/.cache/fontconfig");
            my %holds_cache = ('/tmp' => 1);
            for my $path (keys %cache) { $holds_cache{$path} = 1 while $path =~ s{/[^/]+$}{} && $path ne ''; }
            my $scrubbed;
            # Removes $path unless it is a font cache or holds one; false if anything could not be removed.
            sub scrub {
                my ($path) = @_;
                return 0 if ++$scrubbed > 100000;
                lstat $path or return 1;
                if (-d _) {
                    return 1 if $cache{$path};
                    chmod 0700, $path unless $holds_cache{$path};
                    opendir(my $dir, $path) or return 0;
                    my @entries = grep { !/^\\.\\.?$/ } readdir $dir;
                    closedir $dir;
                    my $clean = 1;
                    scrub("$path/$_") or $clean = 0 for @entries;
                    return $clean if $holds_cache{$path};
                    return $clean && rmdir $path;
                }
                return unlink $path;
            }
            # After each LaTeX run latexmk asks kpsewhich where the bibliographies and styles are, and each answer
            # costs a process that reads TeX Live's 4 MB file index. A project's sandbox remembers the answers its
            # latexmk forks reported (%found) and gives one again while nothing the compile can write comes first.
            # The fork tells the launcher of each lookup: "=" answered from memory, else "+answer\\0key" or "-".
            our (%found, $answers, $kpsewhich);
            sub kpsewhich {
                my @names = grep { !/^-/ } @_;
                my $key = join "\\0", Cwd::getcwd(), @_;
                my $known = $found{$key};
                if (@names == 1 && defined $known && unshadowed($names[0], $known)) {
                    syswrite($answers, "=\\n");
                    return $known;
                }
                my @answer = $kpsewhich->(@_);
                if (@names == 1 && @answer == 1) {
                    # Remembered for the rest of this job too: latexmk asks again after each LaTeX run.
                    $found{$key} = $answer[0] if rememberable($answer[0]);
                    syswrite($answers, "+$answer[0]\\0$key\\n");
                } else {
                    syswrite($answers, "-\\n");
                }
                return @answer;
            }
            # Files of the image's own, or in the folder latexmk asked from.
            sub rememberable {
                my ($answer) = @_;
                return 0 if $answer =~ m{/\\.\\.?(/|$)};
                return $answer =~ m{^/} ? $answer !~ m{^/(tmp|slot|proc|dev|sys)/} && -f $answer : $answer =~ m{^\\./[^/]+$};
            }
            # Whether /tmp holds only the font caches (no TEXMFHOME, TEXMFVAR or TEXMFCONFIG tree of the compile's), and of
            # the folders searched first (where latexmk asks from, and those it adds to TeX's paths) only the answer's own
            # holds a file of that name.
            sub unshadowed {
                my ($name, $answer) = @_;
                return 0 if $name =~ m{/} || !only_font_caches();
                my @paths = map { split /:/ } grep { defined } @ENV{qw(TEXINPUTS BIBINPUTS BSTINPUTS)};
                return 0 if grep { m{//} } @paths;
                my %seen;
                my $hits = 0;
                for my $dir (grep { defined && !$seen{$_}++ } map { Cwd::abs_path($_) } '.', grep { length } @paths) {
                    opendir(my $listing, $dir) or next;
                    $hits += grep { $_ eq $name || index($_, "$name.") == 0 } readdir $listing;
                    closedir $listing;
                }
                return $answer =~ m{^/} ? $hits == 0 : $hits == 1 && -f $answer;
            }
            # Whether /tmp is as the scrub leaves it: the font caches and the folders that hold them, nothing else.
            sub only_font_caches {
                for my $dir (grep { -e } keys %holds_cache) {
                    opendir(my $listing, $dir) or return 0;
                    my @other = grep { !/^\\.\\.?$/ && !$cache{"$dir/$_"} && !$holds_cache{"$dir/$_"} } readdir $listing;
                    closedir $listing;
                    return 0 if @other;
                }
                return 1;
            }
            sub run_until {
                my ($until, $stdout, @run) = @_;
                my $left = $until - time;
                return -1 if $left <= 0;
                my $child = fork() // return -1;
                if ($child == 0) {
                    open(STDIN, '<', '/dev/null');
                    open(STDOUT, '>', $stdout) or exit 127;
                    open(STDERR, '>', '/dev/null');
                    exec { $run[0] } @run or exit 127;
                }
                local $SIG{ALRM} = sub { kill 'KILL', $child };
                alarm $left;
                waitpid($child, 0);
                alarm 0;
                return $? & 127 ? -1 : $? >> 8;
            }
            syswrite($done, "ready\\n");
            while (my $line = <$go>) {
                chomp $line;
                my $deadline = time;
                my ($cap, $budget, $pdf_steps, @command) = split /\\0/, $line;
                $deadline += $budget / 1000;
                chdir 'COMPILE_DIRECTORY' or die "no project directory: $!";
                # The xref the service reads after a job is that job's, or none.
                unlink 'PDF_XREF';
                # Where the image's warm-up pointed luaotfload's font caches: in the project, kept between its compiles.
                File::Path::make_path("$ENV{TEXFARM_FONT_CACHE}/luaotfload") if $ENV{TEXFARM_FONT_CACHE};
                open(my $console, '>', '/slot/console') or die "no console: $!";
                open(my $errors, '>', '/slot/errors') or die "no errors file: $!";
                pipe(my $out, my $out_end) or die "no pipe: $!";
                pipe(my $err, my $err_end) or die "no pipe: $!";
                pipe(my $learned, my $learned_end) or die "no pipe: $!";
                my $pid = fork() // die "cannot fork: $!";
                if ($pid == 0) {
                    close $_ for $out, $err, $learned, $go, $done, $console, $errors;
                    open(STDIN, '<', '/dev/null');
                    open(STDOUT, '>&', $out_end);
                    open(STDERR, '>&', $err_end);
                    close $_ for $out_end, $err_end;
                    if (defined $Texfarm::latexmk && $command[0] eq 'latexmk') {
                        ($0, @ARGV) = ($Texfarm::latexmk, @command[1 .. $#command]);
                        $answers = $learned_end;
                        sigtrap->import(qw(die untrapped normal-signals));
                        main::texfarm_latexmk();
                        exit 0;
                    }
                    exec { $command[0] } @command or do { print STDERR "cannot run $command[0]: $!\\n"; exit 127 };
                }
                close $_ for $out_end, $err_end, $learned_end;
                my %file = (fileno($out) => $console, fileno($err) => $errors);
                my %kept;
                my $reported = '';
                my $open = IO::Select->new($out, $err, $learned);
                while ($open->count) {
                    for my $pipe ($open->can_read) {
                        my $read = sysread($pipe, my $buffer, 65536);
                        if (!$read) { $open->remove($pipe); next; }
                        if (fileno $pipe == fileno $learned) { $reported .= $buffer if length $reported < 65536; next; }
                        my $kept = $kept{fileno $pipe} // 0;
                        next if $kept >= $cap;
                        my $part = substr($buffer, 0, $cap - $kept);
                        syswrite($file{fileno $pipe}, $part);
                        $kept{fileno $pipe} = $kept + length $part;
                    }
                }
                waitpid($pid, 0);
                my $code = $? & 127 ? 128 + ($? & 127) : $? >> 8;
                my %lookups = ('=' => 0, '+' => 0, '-' => 0);
                for ($reported =~ /^(.*)\\n/mg) {
                    my ($answered, $answer, $key) = /^([=+-])([^\\0]*)\\0?(.*)$/s or next;
                    $lookups{$answered}++;
                    $found{$key} = $answer if $answered eq '+' && keys %found < 1000 && rememberable($answer);
                }
                # Whatever the command left running ends now, before its directory leaves the sandbox:
                # every process this user may signal but the launcher itself (and init).
                kill 'KILL', -1;
                1 while waitpid(-1, WNOHANG) > 0;
                close $console;
                close $errors;
                my $pdf = 'none';
                if ($pdf_steps >= 1 && -f 'output.pdf') {
                    # A second of the budget is left for the report, so that the service never kills a finished job.
                    my $until = $deadline - 1;
                    my $staged = '.output.pdf.linearized';
                    # As CLSI's output optimiser: a linearized PDF says so in its first 16 KiB.
                    my $head = '';
                    if (open(my $in, '<:raw', 'output.pdf')) { read($in, $head, 16384); close $in; }
                    if (index($head, '/Linearized 1') >= 0) {
                        $pdf = 'already';
                    } else {
                        my $status = run_until($until, '/dev/null', 'qpdf', '--linearize', 'output.pdf', $staged);
                        # qpdf exits 3 when it succeeded with warnings.
                        if (($status == 0 || $status == 3) && rename($staged, 'output.pdf')) {
                            $pdf = 'linearized';
                        } else {
                            unlink $staged;
                            $pdf = time < $until ? 'failed' : 'out-of-time';
                        }
                    }
                    # The offsets of the final PDF's objects, for PDF caching; qpdf exits 3 on warnings here too.
                    if ($pdf_steps >= 2 && $pdf ne 'failed' && $pdf ne 'out-of-time') {
                        # Whatever the job left under that name (a link, say) goes first: nothing of it runs now.
                        unlink 'PDF_XREF';
                        my $status = run_until($until, 'PDF_XREF', 'qpdf', '--show-xref', 'output.pdf');
                        unlink 'PDF_XREF' unless $status == 0 || $status == 3;
                    }
                }
                chdir '/slot';
                $scrubbed = 0;
                my $tmp = scrub('/tmp') ? 'clean' : 'dirty';
                syswrite($done, "$code $pdf $tmp $lookups{'='} " . ($lookups{'+'} + $lookups{'-'}) . "\\n");
            }
            """.replace("IMAGE_WARM_UP", IMAGE_WARM_UP).replace("COMPILE_DIRECTORY", DockerSandbox.COMPILE_DIRECTORY)
            .replace("PDF_XREF", SandboxJob.PDF_XREF);

    private final DockerClient docker;
    private final String instanceId;
    private final Path slots;
    private final Path sandboxSlots;
    private final boolean serviceIsRoot;
    private final ContainerCgroups cgroups;
    private final Set<String> toldWhyNotKept = ConcurrentHashMap.newKeySet();

    /**
     * @param slots         where slot directories live, as the service sees it
     * @param sandboxSlots  the same directory as the Docker host sees it
     * @param serviceIsRoot whether the service may give files to the sandbox's group
     * @param cgroups       the containers' cgroups as the service sees them
     */
    Containers(DockerClient docker, String instanceId, Path slots, Path sandboxSlots, boolean serviceIsRoot,
               ContainerCgroups cgroups) {
        this.docker = docker;
        this.instanceId = instanceId;
        this.slots = slots;
        this.sandboxSlots = sandboxSlots;
        this.serviceIsRoot = serviceIsRoot;
        this.cgroups = cgroups;
    }

    /**
     * Creates a slot and a container on it, starts it, and watches for its exit.
     *
     * @param background whether the container runs work no client waits for: it gets the smallest
     *                   CPU weight from its creation (gVisor's runsc cannot change it later)
     */
    WarmContainer start(String image, SandboxLimits limits, boolean background, Duration maxTimeout)
            throws SandboxUnavailableException {
        String slotId = RandomIds.hex(8);
        Path slot = slots.resolve(slotId);
        try {
            // Other users of the host may neither list the slot nor reach its trigger.
            Files.createDirectories(slot);
            Files.setPosixFilePermissions(slot, PosixFilePermissions.fromString("rwx--x--x"));
            // The launcher opens the FIFOs read-write (so that no open blocks): it needs the group.
            for (String fifo : List.of(WarmContainer.GO, WarmContainer.DONE)) {
                makeFifo(slot.resolve(fifo));
                if (serviceIsRoot) {
                    Files.setAttribute(slot.resolve(fifo), "unix:gid", limits.gid(), LinkOption.NOFOLLOW_LINKS);
                }
            }
            for (String output : List.of(WarmContainer.CONSOLE, WarmContainer.ERRORS)) {
                Path file = Files.createFile(slot.resolve(output));
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                if (serviceIsRoot) {
                    Files.setAttribute(file, "unix:uid", limits.uid(), LinkOption.NOFOLLOW_LINKS);
                    Files.setAttribute(file, "unix:gid", limits.gid(), LinkOption.NOFOLLOW_LINKS);
                }
            }
        } catch (IOException e) {
            throw new SandboxUnavailableException("cannot prepare a sandbox slot: " + e.getMessage(), e);
        }
        String id;
        try (CreateContainerCmd cmd = docker.createContainerCmd(image)) {
            id = cmd.withName("texfarm-" + instanceId + "-pool-" + slotId)
                    .withUser(limits.uid() + ":" + limits.gid())
                    .withWorkingDir("/slot")
                    .withEntrypoint("perl", "-e", LAUNCHER)
                    // Background work runs no latexmk (dumps, conversions).
                    .withCmd(background ? List.of() : List.of(PRELOADED))
                    .withEnv(environment(limits, fontCache(image)))
                    .withLabels(Map.of(ContainerLabels.SERVICE, ContainerLabels.SERVICE_NAME,
                            ContainerLabels.INSTANCE, instanceId))
                    .withNetworkDisabled(true)
                    .withAttachStdin(false)
                    .withStdinOpen(false)
                    .withTty(false)
                    .withHostConfig(hostConfig(limits, background, maxTimeout, sandboxSlots.resolve(slotId)))
                    .exec()
                    .getId();
        } catch (NotFoundException e) {
            deleteSlot(slot);
            throw new SandboxUnavailableException("image " + image + " is not present: build it with sandbox-images/build", e);
        } catch (RuntimeException e) {
            deleteSlot(slot);
            throw new SandboxUnavailableException("cannot create a sandbox container: " + e.getMessage(), e);
        }
        String containerId = id;
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        AtomicReference<ContainerCgroups.Cgroup> processCounter = new AtomicReference<>();
        LauncherChannel launcher = null;
        try {
            // Read when the launcher is ready, before any job: its cgroup then holds init and the launcher.
            launcher = LauncherChannel.open(slot.resolve(WarmContainer.GO), slot.resolve(WarmContainer.DONE), slotId,
                    () -> countProcesses(containerId, limits).ifPresent(processCounter::set));
            docker.startContainerCmd(id).exec();
            docker.waitContainerCmd(id).exec(new ResultCallback.Adapter<WaitResponse>() {
                @Override
                public void onNext(WaitResponse response) {
                    exit.complete(response.getStatusCode());
                }

                @Override
                public void onError(Throwable failure) {
                    exit.completeExceptionally(failure);
                }

                @Override
                public void onComplete() {
                    exit.completeExceptionally(new IllegalStateException("the engine ended the wait without a status"));
                }
            });
        } catch (IOException | RuntimeException e) {
            if (launcher != null) {
                launcher.close();
            }
            remove(id);
            deleteSlot(slot);
            throw new SandboxUnavailableException("cannot start a sandbox container: " + e.getMessage(), e);
        }
        // A launcher that dies leaves its channel waiting for nothing.
        LauncherChannel channel = launcher;
        exit.whenComplete((code, failure) -> channel.close());
        return new WarmContainer(id, slot, exit, channel, processCounter);
    }

    /**
     * The container's cgroup if it counts exactly the container's processes, as it does under
     * runc: read when the launcher is ready, it then holds init and the launcher. Says once why
     * sandboxes cannot be kept when it does not.
     */
    private Optional<ContainerCgroups.Cgroup> countProcesses(String containerId, SandboxLimits limits) {
        Optional<ContainerCgroups.Cgroup> cgroup = cgroups.of(containerId);
        long tasks = cgroup.map(found -> found.tasks().orElse(-1)).orElse(-1L);
        if (tasks == IDLE_TASKS) {
            return cgroup;
        }
        if (toldWhyNotKept.add(limits.runtime())) {
            log.info(cgroup.isEmpty()
                    ? "sandboxes under {} are not kept between compiles: their cgroups are not under {} (SANDBOX_CGROUP_ROOT)"
                    : "sandboxes under {} are not kept between compiles: their cgroups count the runtime's own tasks ({} for a"
                            + " waiting launcher), not only the compile's processes", limits.runtime(),
                    cgroup.isEmpty() ? cgroups.root() : tasks);
        }
        return Optional.empty();
    }

    private static HostConfig hostConfig(SandboxLimits limits, boolean background, Duration maxTimeout, Path hostSlot) {
        long cpuSeconds = maxTimeout.toSeconds() + CPU_SECONDS_SLACK;
        HostConfig config = HostConfig.newHostConfig()
                .withRuntime(limits.runtime())
                .withNetworkMode("none")
                // No /dev/shm, and no System V or POSIX IPC objects: the namespace's limits are zero.
                .withIpcMode("none")
                .withSysctls(NO_IPC)
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges"))
                .withReadonlyRootfs(true)
                .withTmpFs(Map.of("/tmp", "rw,nosuid,nodev,noexec,size=" + limits.tmpBytes()))
                .withMemory(limits.memoryBytes())
                .withMemorySwap(limits.memoryBytes())
                .withCpuPeriod(CPU_PERIOD.toNanos() / 1000)
                .withCpuQuota(limits.nanoCpus() * (CPU_PERIOD.toNanos() / 1000) / 1_000_000_000L)
                .withPidsLimit(limits.pids())
                .withUlimits(List.of(
                        new Ulimit("fsize", limits.fileSizeBytes(), limits.fileSizeBytes()),
                        new Ulimit("nofile", limits.openFiles(), limits.openFiles()),
                        new Ulimit("core", 0L, 0L),
                        new Ulimit("cpu", cpuSeconds, cpuSeconds)))
                .withInit(true)
                .withLogConfig(new LogConfig(LogConfig.LoggingType.JSON_FILE,
                        Map.of("max-size", Long.toString(limits.logBytes()), "max-file", "1")))
                .withBinds(new Bind(hostSlot.toString(), new Volume("/slot")));
        return background ? config.withCpuShares(MIN_CPU_SHARES) : config;
    }

    /**
     * The project's font cache for fonts made in this image: the image's id names it, so that a
     * project compiled in two TeX Live years, or in a rebuilt image, never mixes their fonts.
     */
    private String fontCache(String image) {
        String id;
        try {
            id = docker.inspectImageCmd(image).exec().getId();
        } catch (RuntimeException e) {
            id = image; // creating the container says what is wrong with the image
        }
        String name = id.replaceFirst("^sha256:", "").replaceAll("[^a-zA-Z0-9_.-]", "_");
        return DockerSandbox.COMPILE_DIRECTORY + "/" + KeepBetweenRuns.FONT_CACHE + "/"
                + name.substring(0, Math.min(12, name.length()));
    }

    private static List<String> environment(SandboxLimits limits, String fontCache) {
        // TeX reads whatever the sandbox holds: the image, this project and its /tmp (security.md).
        // Paranoid writes allow absolute names under TEXMFOUTPUT only: latexmk's output directory,
        // which a main file in a folder writes to, and bibtex, makeindex and TeX read back from.
        // The shell-escape policy is the service's, whatever an allowed image's texmf.cnf says.
        // Fonts made on a compile (METAFONT's, luaotfload's caches) go to the project's font cache,
        // kept between its compiles; the image's mktexpk keeps those of the project's own sources out.
        return List.of("HOME=/tmp", "openin_any=a", "openout_any=p", "TEXMFOUTPUT=" + DockerSandbox.COMPILE_DIRECTORY,
                "shell_escape=" + limits.shellEscape().texmfValue(),
                "shell_escape_commands=" + String.join(",", ShellEscape.RESTRICTED_COMMANDS),
                "TEXFARM_FONT_CACHE=" + fontCache,
                "VARTEXFONTS=" + fontCache + "/metafont",
                "MT_FEATURES=appendonlydir:varfonts");
    }

    /** Names the container after the project it compiles, so {@code docker ps} shows it. */
    void rename(String id, String project) {
        String safe = project.replaceAll("[^a-zA-Z0-9_.-]", "_");
        try {
            docker.renameContainerCmd(id).withName("texfarm-" + instanceId + "-" + (safe.length() > 60 ? safe.substring(0, 60) : safe)
                    + "-" + RandomIds.hex(4)).exec();
        } catch (RuntimeException e) {
            // Only the name is affected; the compile may have ended already.
            log.debug("rename of {} failed: {}", id, e.getMessage());
        }
    }

    void kill(String id) {
        try {
            docker.killContainerCmd(id).exec();
        } catch (RuntimeException e) {
            // Already gone or stopping: its exit is seen either way.
            log.debug("kill of {} failed: {}", id, e.getMessage());
        }
    }

    /** Whether the engine answers a ping. */
    boolean engineAnswers() {
        try {
            docker.pingCmd().exec();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Whether the engine says the container was killed for using too much memory. */
    boolean outOfMemory(String id) {
        return Boolean.TRUE.equals(docker.inspectContainerCmd(id).exec().getState().getOOMKilled());
    }

    /** Removes a container and its slot. */
    void discard(WarmContainer container) {
        container.launcher().close();
        remove(container.id());
        deleteSlot(container.slot());
    }

    void remove(String id) {
        try {
            docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // Removed already.
        } catch (RuntimeException e) {
            log.warn("cannot remove container {}: {}; it is removed at the next start", id, e.getMessage());
        }
    }

    /** Removes every container a previous run of this instance left behind, and every slot; returns how many containers. */
    int removeLeftovers() throws IOException {
        List<Container> leftovers = docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(ContainerLabels.SERVICE, ContainerLabels.SERVICE_NAME,
                        ContainerLabels.INSTANCE, instanceId))
                .exec();
        leftovers.forEach(c -> remove(c.getId()));
        SafeFiles.deleteRecursively(slots);
        Files.createDirectories(slots);
        Files.setPosixFilePermissions(slots, PosixFilePermissions.fromString("rwx--x--x"));
        return leftovers.size();
    }

    private static void deleteSlot(Path slot) {
        try {
            SafeFiles.deleteRecursively(slot);
        } catch (IOException e) {
            log.warn("cannot delete sandbox slot {}: {}", slot, e.getMessage());
        }
    }

    private static void makeFifo(Path path) throws IOException {
        Process mkfifo = new ProcessBuilder("mkfifo", "-m", "0660", path.toString()).redirectErrorStream(true).start();
        try {
            if (mkfifo.waitFor() != 0) {
                throw new IOException("mkfifo " + path + " failed: " + new String(mkfifo.getInputStream().readAllBytes()).trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making " + path, e);
        }
    }

}
