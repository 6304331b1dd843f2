package io.ringswitch.overlay;

import io.ringswitch.overlay.revocation.RevocationInbox;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.security.GroupCa;
import io.ringswitch.overlay.security.LocalFiles;
import io.ringswitch.overlay.security.Pem;
import io.ringswitch.overlay.security.RevocationCodec;
import io.ringswitch.overlay.security.RevocationRecord;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ringswitch revoke --ca DIR --cert FILE --state DIR}: revokes a member with the group
 * server down (issue 19). It signs a revocation record with the CA's key and drops it into a local
 * node's state directory ({@code DIR/revoke/*.rev}), from where the node checks it, acts on it,
 * broadcasts it over the ring and stores it in the DHT; or, with {@code --out}, writes it to a file
 * to carry to a node.
 */
@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = "Revoke a member without the group server: sign a revocation with the CA's key and hand it "
                + "to a local node, which spreads it over the ring in seconds.")
public final class RevokeCommand implements Callable<Integer> {
    @Option(names = "--ca", required = true, paramLabel = "DIR", description = "The CA's directory (ca.key, ca.crt).")
    Path ca;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    /** The certificate to revoke, or its serial and ring address. */
    static final class Which {
        @Option(names = "--cert", paramLabel = "FILE", description = "The revoked member's certificate (PEM).")
        Path cert;

        @ArgGroup(exclusive = false)
        BySerial bySerial;
    }

    static final class BySerial {
        @Option(names = "--serial", required = true, paramLabel = "HEX", description = "The certificate's serial (hex).")
        String serial;

        @Option(names = "--address", required = true, paramLabel = "HEX", description = "The member's ring address (40 hex digits).")
        String address;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Where where;

    /** Where the record goes. */
    static final class Where {
        @Option(names = "--state", paramLabel = "DIR", description = "A local node's state directory (where its key is).")
        Path state;

        @Option(names = "--out", paramLabel = "FILE", description = "Write the record to FILE instead.")
        Path out;
    }

    @Override
    public Integer call() throws Exception {
        GroupCa authority = GroupCa.load(ca, Instant.now());
        RevocationRecord record;
        if (which.cert != null) {
            X509Certificate c = Pem.readCertificate(which.cert);
            try {
                c.verify(authority.certificate().getPublicKey());
            } catch (java.security.GeneralSecurityException e) {
                System.err.println(which.cert + " was not issued by this CA");
                return 1;
            }
            record = RevocationRecord.issue(authority, c, System.currentTimeMillis());
        } else {
            record = RevocationRecord.issue(authority, new BigInteger(which.bySerial.serial, 16),
                    RingAddress.parse(which.bySerial.address), System.currentTimeMillis());
        }
        byte[] bytes = RevocationCodec.encodeList(List.of(record));
        Path file;
        if (where.out != null) {
            file = where.out;
        } else {
            Path inbox = where.state.resolve(RevocationInbox.DIRECTORY);
            Files.createDirectories(inbox);
            file = inbox.resolve(record.serial().toString(16) + RevocationInbox.SUFFIX);
        }
        LocalFiles.write(file, bytes, LocalFiles.GROUP_READABLE);
        System.out.println("revoked certificate " + record.serial().toString(16) + " of " + record.address() + ": " + file);
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new RevokeCommand()).execute(args));
    }
}
