package io.ringswitch.tests;

import io.ringswitch.topology.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A clean Debian root to install a package into: a minimal Debian ({@code debootstrap
 * --variant=minbase}) with only the packages given, and nothing of this machine (no project
 * tree, no Maven, no lab tools). Debootstrap takes minutes, so the base is made once and kept
 * in {@link #CACHE} (remade when the package list changes); every test gets it fresh as the
 * lower layer of an overlay mount whose upper layer starts empty, so the base is never changed
 * and what a test left behind is exactly the upper layer's files ({@link #changedFiles}).
 */
final class CleanRoot implements AutoCloseable {
    /** Where the base roots are kept between runs. */
    static final Path CACHE = Path.of("/var/cache/ringswitch/test-roots");
    private static final Path WORK = Path.of("/var/tmp/ringswitch-clean-root");
    private static final String MARKER = ".ringswitch-base";
    private static final Duration DEBOOTSTRAP = Duration.ofMinutes(25);
    private static final Duration MOUNT = Duration.ofSeconds(30);

    private final Path merged;

    private CleanRoot(Path merged) {
        this.merged = merged;
    }

    /**
     * Mounts a fresh root over the base that holds {@code packages} (made first when there is none),
     * at a fixed place, after removing what an earlier run that died may have left there.
     */
    static CleanRoot mount(List<String> packages, Consumer<String> progress) throws IOException {
        Path base = base(packages, progress);
        unmount();
        Path upper = WORK.resolve("upper");
        Path work = WORK.resolve("work");
        Path merged = WORK.resolve("merged");
        for (Path dir : List.of(upper, work, merged)) {
            Files.createDirectories(dir);
        }
        Shell.run(MOUNT, "mount", "-t", "overlay", "overlay", "-o",
                "lowerdir=" + base + ",upperdir=" + upper + ",workdir=" + work, merged.toString()).orThrow();
        return new CleanRoot(merged);
    }

    /** The root as this machine sees it. */
    Path path() {
        return merged;
    }

    /** A path inside the root ({@code /etc/x}) as this machine sees it. */
    Path resolve(String inside) {
        return merged.resolve(inside.replaceFirst("^/+", ""));
    }

    /**
     * Runs {@code command} chrooted into the root, with /proc, /dev and /sys, an empty /run and
     * {@code binds} (a directory of the root to one of this machine) mounted in a mount namespace
     * of its own, so that they go when it ends.
     */
    Shell.Result run(Duration limit, Map<String, Path> binds, String... command) throws IOException {
        List<String> full = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "set -e\n" + mounts(binds) + "r=$1; shift; exec chroot \"$r\" \"$@\"\n", "sh", merged.toString()));
        full.addAll(List.of(command));
        return Shell.run(limit, full);
    }

    /**
     * The shell lines that mount /proc, /dev, /sys, an empty /run (a tmpfs, as on a booted host)
     * and {@code binds} into the root at {@code $1}.
     */
    static String mounts(Map<String, Path> binds) {
        StringBuilder script = new StringBuilder("mount -t proc proc \"$1/proc\"\nmount --rbind /dev \"$1/dev\"\n"
                + "mount --rbind /sys \"$1/sys\"\nmount -t tmpfs -o mode=0755 tmpfs \"$1/run\"\n");
        binds.forEach((inside, outside) -> script.append("mkdir -p \"$1").append(inside).append("\"\nmount --bind '")
                .append(outside).append("' \"$1").append(inside).append("\"\n"));
        return script.toString();
    }

    /**
     * Every file, link and deletion the root holds that its base did not, as paths inside the
     * root ({@code etc/x}); directories only copied up to hold them are left out.
     */
    List<String> changedFiles() throws IOException {
        Path upper = WORK.resolve("upper");
        try (Stream<Path> files = Files.walk(upper)) {
            return files.filter(p -> !Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .map(p -> upper.relativize(p).toString()).sorted().toList();
        }
    }

    @Override
    public void close() throws IOException {
        unmount();
    }

    private static void unmount() throws IOException {
        Path merged = WORK.resolve("merged");
        if (Shell.run(MOUNT, "mountpoint", "-q", merged.toString()).ok()) {
            if (!Shell.run(MOUNT, "umount", merged.toString()).ok()) {
                Shell.run(MOUNT, "umount", "-l", merged.toString()).orThrow();
            }
        }
        delete(WORK);
    }

    /** The base root with {@code packages}, made by debootstrap when the cache has none. */
    private static Path base(List<String> packages, Consumer<String> progress) throws IOException {
        String suite = osRelease("VERSION_CODENAME");
        String wanted = suite + " " + String.join(",", packages) + "\n";
        Path base = CACHE.resolve(suite + "-minbase");
        if (Files.exists(base.resolve(MARKER)) && Files.readString(base.resolve(MARKER)).equals(wanted)) {
            return base;
        }
        String mirror = mirror();
        progress.accept("making a clean Debian root (debootstrap --variant=minbase " + suite + " with " + packages
                + " from " + mirror + ") in " + base + ": minutes, once");
        Path fresh = CACHE.resolve(suite + "-minbase.tmp");
        delete(fresh);
        delete(base);
        Files.createDirectories(CACHE);
        Shell.run(DEBOOTSTRAP, "debootstrap", "--variant=minbase", "--include=" + String.join(",", packages),
                suite, fresh.toString(), mirror).orThrow();
        Files.writeString(fresh.resolve(MARKER), wanted);
        Files.move(fresh, base);
        return base;
    }

    /** This machine's Debian mirror, from its apt sources (the first {@code URIs:}), else deb.debian.org. */
    private static String mirror() throws IOException {
        Path sources = Path.of("/etc/apt/sources.list.d/debian.sources");
        if (Files.exists(sources)) {
            for (String line : Files.readAllLines(sources)) {
                if (line.startsWith("URIs:")) {
                    return line.substring("URIs:".length()).strip().split("\\s+")[0];
                }
            }
        }
        return "http://deb.debian.org/debian";
    }

    private static String osRelease(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
            if (line.startsWith(key + "=")) {
                return line.substring(key.length() + 1).replace("\"", "");
            }
        }
        throw new IOException("/etc/os-release has no " + key);
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        // A root holds device nodes and links out of it: rm does not follow them, Files.walk would.
        Shell.run(Duration.ofMinutes(2), "rm", "-rf", "--one-file-system", dir.toString()).orThrow();
    }
}
