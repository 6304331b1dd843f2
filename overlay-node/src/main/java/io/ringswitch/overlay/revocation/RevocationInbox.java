package io.ringswitch.overlay.revocation;

import io.ringswitch.overlay.security.RevocationCodec;
import io.ringswitch.overlay.security.Revocations;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes revocation records that {@code ringswitch revoke} drops into the node's state directory
 * ({@value #DIRECTORY}/{@code *.rev}, a {@link RevocationCodec} list), so that an administrator can
 * revoke with the group server down: the node checks each against the CA, acts on it, broadcasts
 * it and stores it in the DHT. A file is deleted once read (regular files only, links ignored);
 * whoever can write there gains nothing, since only the CA's signature counts. Polled every second
 * on its own daemon thread.
 */
public final class RevocationInbox implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RevocationInbox.class);
    /** The directory under the node's state directory. */
    public static final String DIRECTORY = "revoke";
    public static final String SUFFIX = ".rev";
    private static final long MAX_FILE = 2 + (long) RevocationCodec.MAX_RECORDS * RevocationCodec.MAX_RECORD;

    private final Path directory;
    private final Revocations revocations;
    private final ScheduledExecutorService thread;

    public RevocationInbox(Path stateDirectory, Revocations revocations) {
        this.directory = stateDirectory.resolve(DIRECTORY);
        this.revocations = revocations;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "revocation-inbox");
            t.setDaemon(true);
            return t;
        });
    }

    /** Polls every {@code intervalMillis}. */
    public void start(long intervalMillis) {
        thread.scheduleWithFixedDelay(this::poll, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** Reads and deletes every file waiting; the number of revocations new to this node. */
    public int poll() {
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        int fresh = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path f : files) {
                if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || Files.size(f) > MAX_FILE) {
                    revocations.malformed(Revocations.Source.LOCAL, f + " is no regular file or too large");
                    Files.deleteIfExists(f);
                    continue;
                }
                byte[] bytes = Files.readAllBytes(f);
                Files.deleteIfExists(f);
                try {
                    List<io.ringswitch.overlay.security.RevocationRecord> records = RevocationCodec.decodeList(bytes);
                    int n = revocations.learnAll(records, Revocations.Source.LOCAL);
                    log.info("{}: {} revocations, {} new", f, records.size(), n);
                    fresh += n;
                } catch (RevocationCodec.Malformed e) {
                    revocations.malformed(Revocations.Source.LOCAL, f + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            log.warn("cannot read {}: {}", directory, e.getMessage());
        }
        return fresh;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
