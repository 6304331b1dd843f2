package io.ringswitch.overlay.group;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ringswitch.overlay.api.NodeConfig;
import io.ringswitch.overlay.security.GroupCa;
import io.ringswitch.overlay.security.LocalFiles;
import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.security.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * {@code ringswitch enrol}: turns a one-time token into a node that starts as it is. It makes an
 * Ed25519 key here (it never leaves the directory, 0600), asks the server which site the token is
 * for, sends a certificate request signed with the key, checks the certificate it gets against
 * the group's CA, and writes {@code node.key}, {@code node.crt}, {@code ca.crt},
 * {@code bundle.json} and {@code node.yaml} (with a {@code renewal} section) into the directory.
 */
public final class EnrolmentClient {
    public static final String CONFIG_FILE = "node.yaml";
    static final String KEY_FILE = "node.key";
    static final String CERT_FILE = "node.crt";

    private EnrolmentClient() {
    }

    /**
     * What enrol is asked to do.
     *
     * @param server the group server, https://HOST:PORT
     * @param token  the token as shown on the pages: secret, a dot, the server certificate's SHA-256
     * @param out    where the node's files go
     * @param listen the node's UDP address on the underlay
     * @param bridge the OVS bridge its overlay port joins
     * @param tap    the overlay port's name
     */
    public record Options(String server, String token, Path out, String listen, String bridge, String tap) {
    }

    /** What enrolment made. */
    public record Result(NodeIdentity identity, Path config) {
    }

    public static Result enrol(Options o) throws IOException {
        int dot = o.token() == null ? -1 : o.token().indexOf('.');
        if (dot <= 0 || !o.token().substring(dot + 1).matches("[0-9a-f]{64}")) {
            throw new IOException("a token is SECRET.SHA256 as the status page shows it");
        }
        String secret = o.token().substring(0, dot);
        String pin = o.token().substring(dot + 1);
        Files.createDirectories(o.out());
        if (Files.exists(o.out().resolve(KEY_FILE))) {
            throw new IOException(o.out().resolve(KEY_FILE) + " exists: enrol into an empty directory");
        }
        GroupClient client = new GroupClient(o.server(), pin);
        GroupApi.TokenInfo info = client.post("/api/token", new GroupApi.TokenQuery(secret), GroupApi.TokenInfo.class);
        KeyPair pair = GroupCa.newKeyPair();
        String csr = Pem.encode(request(info.site(), pair));
        GroupApi.EnrolResponse answer = client.post("/api/enrol", new GroupApi.EnrolRequest(secret, csr), GroupApi.EnrolResponse.class);
        Path key = o.out().resolve(KEY_FILE);
        Path cert = o.out().resolve(CERT_FILE);
        Path ca = o.out().resolve(GroupCa.CERT_FILE);
        Pem.writeKey(key, pair.getPrivate());
        LocalFiles.write(cert, answer.certificate().getBytes(StandardCharsets.US_ASCII), LocalFiles.GROUP_READABLE);
        LocalFiles.write(ca, answer.bundle().caCertificate().getBytes(StandardCharsets.US_ASCII), LocalFiles.GROUP_READABLE);
        LocalFiles.write(o.out().resolve("bundle.json"), EnrolmentApi.JSON.writeValueAsBytes(answer.bundle()), LocalFiles.GROUP_READABLE);
        NodeIdentity identity = NodeIdentity.load(cert, key, ca, Instant.now());
        if (!identity.certificate().name().equals(info.site())) {
            throw new IOException("the server sent a certificate for " + identity.certificate().name() + ", not " + info.site());
        }
        Path config = o.out().resolve(CONFIG_FILE);
        LocalFiles.write(config, config(o, info.site(), answer.bundle(), key, cert, ca), LocalFiles.GROUP_READABLE);
        try {
            NodeConfig.load(config);
        } catch (NodeConfig.ConfigException e) {
            throw new IOException("the configuration written does not load: " + e.getMessage(), e);
        }
        return new Result(identity, config);
    }

    private static PKCS10CertificationRequest request(String site, KeyPair pair) throws IOException {
        try {
            return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + site), pair.getPublic())
                    .build(new JcaContentSignerBuilder("Ed25519").build(pair.getPrivate()));
        } catch (OperatorCreationException e) {
            throw new IOException("cannot sign the certificate request: " + e.getMessage(), e);
        }
    }

    private static byte[] config(Options o, String site, GroupApi.Bundle bundle, Path key, Path cert, Path ca)
            throws IOException {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", site);
        c.put("listen", o.listen());
        c.put("bootstrap", bundle.bootstrap() == null ? List.of() : bundle.bootstrap());
        c.put("tap", Map.of("name", o.tap()));
        c.put("bridge", Map.of("name", o.bridge()));
        c.put("statusFile", o.out().toAbsolutePath().resolve("status.json").toString());
        c.put("identity", Map.of("certificate", cert.toAbsolutePath().toString(), "key", key.toAbsolutePath().toString(),
                "ca", ca.toAbsolutePath().toString()));
        c.put("renewal", Map.of("server", bundle.server(), "serverSha256", bundle.serverSha256()));
        return ("# written by ringswitch enrol for site " + site + " of group " + bundle.group() + "\n"
                + new ObjectMapper(new YAMLFactory()).writeValueAsString(c)).getBytes(StandardCharsets.UTF_8);
    }
}
