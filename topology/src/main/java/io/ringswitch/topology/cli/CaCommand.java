package io.ringswitch.topology.cli;

import io.ringswitch.overlay.security.GroupCa;
import io.ringswitch.overlay.security.NodeCertificate;
import io.ringswitch.overlay.security.NodeRoles;
import io.ringswitch.overlay.security.Pem;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ringswitch ca init|issue|show}: the group's certificate authority. {@code init} makes
 * the CA of a group, {@code issue} a node's key and certificate (or a certificate for a request,
 * or a new one for the key of a certificate this CA issued before), {@code show} says what a
 * certificate binds and whether the group's CA accepts it. Every certificate issued gets a fresh
 * ring salt from the CA, and with it a ring address its holder did not choose.
 */
@Command(name = "ca", mixinStandardHelpOptions = true,
        description = "The group's certificate authority: create it, issue node certificates, show them.",
        subcommands = {CaCommand.Init.class, CaCommand.Issue.class, CaCommand.Show.class})
final class CaCommand implements Runnable {

    @Override
    public void run() {
        System.err.println("use: ringswitch ca init | issue | show (each takes --help)");
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Create a group's CA: DIR/ca.key (readable by root only; keep it off the nodes) and DIR/ca.crt.")
    static final class Init implements Callable<Integer> {
        @Option(names = "--dir", required = true, description = "Where the CA's files go.")
        Path dir;

        @Option(names = "--group", required = true, description = "The group's name (1 to 64 of A-Z a-z 0-9 . _ -).")
        String group;

        @Option(names = "--days", defaultValue = "3650", description = "Validity in days (default ${DEFAULT-VALUE}).")
        int days;

        @Override
        public Integer call() throws Exception {
            if (Files.exists(dir.resolve(GroupCa.KEY_FILE))) {
                System.err.println(dir.resolve(GroupCa.KEY_FILE) + " exists: a group has one CA; remove it first to start a new group");
                return 1;
            }
            GroupCa ca = GroupCa.create(group, Instant.now(), Duration.ofDays(days));
            ca.save(dir);
            System.out.println("CA of group '" + group + "' in " + dir + " (valid until " + ca.certificate().getNotAfter().toInstant() + ")");
            return 0;
        }
    }

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Issue a node certificate: a new key and certificate (OUT/NAME.key, OUT/NAME.crt), "
                    + "with --csr a certificate for the key that signed the request, or with --renew a new certificate "
                    + "(new ring salt, so a new ring address) for the key and name of one this CA issued before.")
    static final class Issue implements Callable<Integer> {
        @Option(names = "--dir", required = true, description = "The CA's directory.")
        Path dir;

        @Option(names = "--name", description = "The node's name (from the request's CN with --csr).")
        String name;

        @Option(names = "--csr", description = "A PKCS#10 request (PEM) signed with the node's Ed25519 key.")
        Path csr;

        @Option(names = "--renew", description = "A certificate this CA issued (PEM), expired or from before ring "
                + "salts: re-issued for the same key and name (and virtual IP unless --ip).")
        Path renew;

        @Option(names = "--ip", description = "A fixed virtual IP the node may use.")
        String ip;

        @Option(names = "--role", description = "A role the certificate grants, repeatable: 'gateway' lets the node "
                + "publish gateway records (a full-tunnel gateway); members refuse those of a node without it. With "
                + "--renew, the roles of the old certificate are kept and these added.")
        java.util.List<String> role = new java.util.ArrayList<>();

        @Option(names = "--days", defaultValue = "4", description = "Validity in days (default ${DEFAULT-VALUE}: short-lived, "
                + "for a node that renews through the group server (admit it there); give more for a node without one).")
        int days;

        @Option(names = "--out", description = "Where the node's files go (default: the CA's directory).")
        Path out;

        @Override
        public Integer call() throws Exception {
            GroupCa ca = GroupCa.load(dir, Instant.now());
            Path target = out == null ? dir : out;
            Files.createDirectories(target);
            Optional<InetAddress> virtualIp = ip == null ? Optional.empty() : Optional.of(InetAddress.getByName(ip));
            java.util.Set<String> roles = new java.util.TreeSet<>(role);
            try {
                NodeRoles.checked(roles);
            } catch (IllegalArgumentException e) {
                System.err.println("--role: " + e.getMessage());
                return 2;
            }
            X509Certificate cert;
            String node;
            if (csr != null) {
                cert = ca.issue(Pem.readRequest(csr), virtualIp, Instant.now(), Duration.ofDays(days), roles);
                node = NodeCertificate.verify(cert, ca.certificate(), Instant.now()).name();
            } else if (renew != null) {
                X509Certificate old = Pem.readCertificate(renew);
                try {
                    old.verify(ca.certificate().getPublicKey());
                } catch (java.security.GeneralSecurityException e) {
                    System.err.println(renew + ": not issued by the CA of " + dir + " (" + e.getMessage() + "): not renewed");
                    return 1;
                }
                NodeCertificate was = NodeCertificate.readUnverified(old);
                roles.addAll(NodeRoles.of(old));
                cert = ca.issue(was.name(), old.getPublicKey(), ip == null ? ipOf(old) : virtualIp, Instant.now(),
                        Duration.ofDays(days), roles);
                node = was.name();
            } else {
                if (name == null) {
                    System.err.println("--name is needed (or --csr)");
                    return 2;
                }
                KeyPair pair = GroupCa.newKeyPair();
                cert = ca.issue(name, pair.getPublic(), virtualIp, Instant.now(), Duration.ofDays(days), roles);
                node = name;
                Pem.writeKey(target.resolve(node + ".key"), pair.getPrivate());
            }
            Pem.write(target.resolve(node + ".crt"), cert);
            NodeCertificate shown = NodeCertificate.verify(cert, ca.certificate(), Instant.now());
            System.out.println("issued " + target.resolve(node + ".crt") + ": node " + node + ", ring address " + shown.address()
                    + (roles.isEmpty() ? "" : ", roles " + String.join(",", roles)));
            return 0;
        }

        /** The virtual IP an earlier certificate names, if any. */
        private static Optional<InetAddress> ipOf(X509Certificate old) throws Exception {
            if (old.getSubjectAlternativeNames() == null) {
                return Optional.empty();
            }
            for (java.util.List<?> san : old.getSubjectAlternativeNames()) {
                if ((Integer) san.get(0) == 7) {
                    return Optional.of(InetAddress.getByName(String.valueOf(san.get(1))));
                }
            }
            return Optional.empty();
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show what a certificate binds; with --ca, whether that CA accepts it now.")
    static final class Show implements Callable<Integer> {
        @Parameters(paramLabel = "CERT", description = "A certificate (PEM).")
        Path file;

        @Option(names = "--ca", description = "The group's CA certificate (ca.crt).")
        Path caFile;

        @Override
        public Integer call() throws Exception {
            X509Certificate cert = Pem.readCertificate(file);
            System.out.println("subject:     " + cert.getSubjectX500Principal().getName());
            System.out.println("issuer:      " + cert.getIssuerX500Principal().getName());
            System.out.println("valid:       " + cert.getNotBefore().toInstant() + " to " + cert.getNotAfter().toInstant());
            String derived;
            try {
                derived = "ring address " + NodeCertificate.addressOf(cert) + " (key and ring salt)";
            } catch (NodeCertificate.CertificateRejected e) {
                derived = "no ring address: " + e.getMessage();
            }
            System.out.println("key:         " + cert.getPublicKey().getAlgorithm() + ", " + derived);
            System.out.println("alt names:   " + (cert.getSubjectAlternativeNames() == null ? "none" : cert.getSubjectAlternativeNames()));
            String roles;
            try {
                roles = NodeRoles.of(cert).isEmpty() ? "none" : String.join(", ", NodeRoles.of(cert));
            } catch (NodeCertificate.CertificateRejected e) {
                roles = "unreadable: " + e.getMessage();
            }
            System.out.println("roles:       " + roles);
            if (caFile == null) {
                return 0;
            }
            try {
                NodeCertificate ok = NodeCertificate.verify(cert, Pem.readCertificate(caFile), Instant.now());
                System.out.println("accepted:    node " + ok.name() + " of group " + ok.group() + ", ring address " + ok.address()
                        + ok.virtualIp().map(a -> ", virtual IP " + a.getHostAddress()).orElse(""));
                return 0;
            } catch (NodeCertificate.CertificateRejected e) {
                System.out.println("refused:     " + e.getMessage());
                return 1;
            }
        }
    }
}
