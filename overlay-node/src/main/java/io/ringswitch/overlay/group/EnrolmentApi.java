package io.ringswitch.overlay.group;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.ringswitch.overlay.group.GroupState.Member;
import io.ringswitch.overlay.group.GroupState.Request;
import io.ringswitch.overlay.security.GroupCa;
import io.ringswitch.overlay.security.NodeCertificate;
import io.ringswitch.overlay.security.Pem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * The machine side of the group server: {@code POST /api/enrol} (a one-time token and a CSR in,
 * a certificate and the group's bundle out), {@code GET /api/nonce} and {@code POST /api/renew}
 * (a certificate of a member that is not revoked, renewed for the same key and ring salt when
 * its holder signs a fresh nonce with that key), {@code POST /api/report} (a member's signed report
 * of its live peers, {@link RingReports}), and {@code GET /crl}, the CA-signed revocation list
 * (RFC 5280 §5, DER).
 */
final class EnrolmentApi {
    static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** How long a nonce may be used after it was handed out. */
    static final Duration NONCE_LIFETIME = Duration.ofSeconds(60);
    private static final int MAX_NONCES = 4096;
    /** How long a published CRL is valid: nodes fetch it well within that. */
    static final Duration CRL_VALIDITY = Duration.ofHours(1);

    private final GroupStore store;
    private final GroupCa ca;
    private final Supplier<GroupApi.Bundle> bundle;
    private final Duration lifetime;
    private final Clock clock;
    private final RingReports reports;
    private final Map<String, Instant> nonces = new LinkedHashMap<>();
    private X509CRL published;
    private Map<java.math.BigInteger, Instant> publishedEntries;

    EnrolmentApi(GroupStore store, GroupCa ca, Supplier<GroupApi.Bundle> bundle, Duration lifetime, Clock clock) {
        this.store = store;
        this.reports = new RingReports(store, ca, clock);
        this.ca = ca;
        this.bundle = bundle;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    void handle(HttpExchange ex) throws IOException, GroupRefusal {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        Object answer;
        if (path.equals("/api/enrol") && method.equals("POST")) {
            answer = enrol(read(ex, GroupApi.EnrolRequest.class));
        } else if (path.equals("/api/token") && method.equals("POST")) {
            GroupApi.TokenQuery q = read(ex, GroupApi.TokenQuery.class);
            answer = new GroupApi.TokenInfo(store.checkToken(FormChecks.handle(secret(q.token()), "token"), clock.instant()).site(),
                    ca.group());
        } else if (path.equals("/api/nonce") && method.equals("GET")) {
            answer = new GroupApi.Nonce(nonce());
        } else if (path.equals("/api/renew") && method.equals("POST")) {
            answer = renew(read(ex, GroupApi.RenewRequest.class));
        } else if (path.equals("/api/report") && method.equals("POST")) {
            answer = reports.accept(read(ex, GroupApi.RingReport.class));
        } else {
            throw new GroupRefusal("not-found", "no such API");
        }
        Exchanges.send(ex, 200, "application/json", JSON.writeValueAsBytes(answer));
    }

    void crl(HttpExchange ex) throws IOException, GroupRefusal {
        if (!ex.getRequestMethod().equals("GET") || !ex.getRequestURI().getPath().equals("/crl")) {
            throw new GroupRefusal("not-found", "no such page");
        }
        try {
            Exchanges.send(ex, 200, "application/pkix-crl", currentCrl(clock.instant()).getEncoded());
        } catch (java.security.cert.CRLException e) {
            throw new IOException(e);
        }
    }

    /**
     * The CRL to serve: the one published last while its entries are current and it is less than
     * half its validity old, else a new one with the next CRL number, so that each number names
     * one list (RFC 5280 §5.2.3).
     */
    private synchronized X509CRL currentCrl(Instant now) throws IOException {
        Map<java.math.BigInteger, Instant> entries = store.revokedSerials();
        if (published == null || !entries.equals(publishedEntries)
                || now.isAfter(published.getThisUpdate().toInstant().plus(CRL_VALIDITY.dividedBy(2)))) {
            published = ca.crl(records(), store.nextCrlNumber(), now, now.plus(CRL_VALIDITY));
            publishedEntries = entries;
        }
        return published;
    }

    /**
     * A revocation record, signed by the CA, for every serial of every revoked member, with its
     * ring address: nodes that fetch the CRL hand these on over the ring and the DHT (issue 19).
     */
    private java.util.List<io.ringswitch.overlay.security.RevocationRecord> records() {
        java.util.List<io.ringswitch.overlay.security.RevocationRecord> out = new java.util.ArrayList<>();
        for (GroupState.Member m : store.members()) {
            if (m.revoked()) {
                io.ringswitch.overlay.ring.RingAddress address = io.ringswitch.overlay.ring.RingAddress.parse(m.address());
                for (String serial : m.serials()) {
                    out.add(io.ringswitch.overlay.security.RevocationRecord.issue(ca, new java.math.BigInteger(serial, 16),
                            address, m.revokedAt()));
                }
            }
        }
        return out;
    }

    private GroupApi.EnrolResponse enrol(GroupApi.EnrolRequest in) throws IOException, GroupRefusal {
        if (in.token() == null || in.csr() == null) {
            throw new GroupRefusal("enrol-malformed", "an enrolment needs a token and a csr");
        }
        String secret = FormChecks.handle(secret(in.token()), "token");
        PKCS10CertificationRequest csr = parseCsr(in.csr());
        Instant now = clock.instant();
        // One token, one certificate: checking, issuing and recording happen under the store's lock.
        synchronized (store) {
            Request r = store.checkToken(secret, now);
            String cn = csr.getSubject().getRDNs(BCStyle.CN).length == 1
                    ? IETFUtils.valueToString(csr.getSubject().getRDNs(BCStyle.CN)[0].getFirst().getValue()) : null;
            if (!r.site().equals(cn)) {
                throw new GroupRefusal("enrol-name", "the request names " + cn + ", but the token is for site " + r.site());
            }
            X509Certificate cert;
            try {
                cert = ca.issue(csr, Optional.empty(), now, lifetime);
            } catch (IOException | IllegalArgumentException e) {
                throw new GroupRefusal("enrol-csr", "the certificate request is refused: " + e.getMessage());
            }
            store.enrol(secret, address(cert), cert.getSerialNumber(), cert.getNotAfter().toInstant(), now);
            return new GroupApi.EnrolResponse(Pem.encode(cert), bundle.get());
        }
    }

    /** The secret part of a token as given to people ({@link JoinPages#token}). */
    private static String secret(String token) {
        return token == null || !token.contains(".") ? token : token.substring(0, token.indexOf('.'));
    }

    private GroupApi.RenewResponse renew(GroupApi.RenewRequest in) throws IOException, GroupRefusal {
        if (in.certificate() == null || in.nonce() == null || in.signature() == null) {
            throw new GroupRefusal("renew-malformed", "a renewal needs a certificate, a nonce and a signature");
        }
        Instant now = clock.instant();
        X509Certificate current = parseCertificate(in.certificate(), "renew-certificate");
        NodeCertificate node;
        try {
            node = NodeCertificate.verify(current, ca.certificate(), now);
        } catch (NodeCertificate.CertificateRejected e) {
            throw new GroupRefusal("renew-certificate", "the certificate is refused (" + e.getMessage()
                    + "): an expired node enrols again");
        }
        if (!takeNonce(in.nonce(), now)) {
            throw new GroupRefusal("renew-nonce", "the nonce is unknown, used or stale: get a fresh one");
        }
        try {
            Signature v = Signature.getInstance("Ed25519");
            v.initVerify(current.getPublicKey());
            v.update((GroupApi.RENEW_CONTEXT + in.nonce()).getBytes(StandardCharsets.UTF_8));
            if (!v.verify(Base64.getDecoder().decode(in.signature()))) {
                throw new GroupRefusal("renew-signature", "the signature does not verify with the certificate's key");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new GroupRefusal("renew-signature", "the signature does not verify: " + e.getMessage());
        }
        synchronized (store) {
            Member m = store.memberAt(node.address().toString()).orElseThrow(() ->
                    new GroupRefusal("renew-not-member", "no member has this ring address"));
            if (m.revoked()) {
                throw new GroupRefusal("renew-revoked", "member " + m.name() + " is revoked");
            }
            if (!m.serials().contains(current.getSerialNumber().toString(16))) {
                throw new GroupRefusal("renew-serial", "this certificate was not issued by this group server");
            }
            X509Certificate renewed = ca.renew(current, now, lifetime);
            store.renewed(m.address(), renewed.getSerialNumber(), renewed.getNotAfter().toInstant(), now);
            return new GroupApi.RenewResponse(Pem.encode(renewed));
        }
    }

    private synchronized String nonce() {
        Instant now = clock.instant();
        nonces.values().removeIf(at -> at.plus(NONCE_LIFETIME).isBefore(now));
        if (nonces.size() >= MAX_NONCES) {
            nonces.remove(nonces.keySet().iterator().next());
        }
        String n = GroupStore.randomId(32);
        nonces.put(n, now);
        return n;
    }

    private synchronized boolean takeNonce(String n, Instant now) {
        Instant at = nonces.remove(n);
        return at != null && !at.plus(NONCE_LIFETIME).isBefore(now);
    }

    private static String address(X509Certificate cert) throws GroupRefusal {
        try {
            return NodeCertificate.addressOf(cert).toString();
        } catch (NodeCertificate.CertificateRejected e) {
            throw new GroupRefusal("enrol-csr", e.getMessage());
        }
    }

    private static <T> T read(HttpExchange ex, Class<T> type) throws IOException, GroupRefusal {
        try {
            return JSON.readValue(Exchanges.body(ex), type);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new GroupRefusal("api-malformed", "the body is not a " + type.getSimpleName() + " in JSON");
        }
    }

    private static PKCS10CertificationRequest parseCsr(String pem) throws GroupRefusal {
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            if (p.readObject() instanceof PKCS10CertificationRequest r) {
                return r;
            }
        } catch (IOException | RuntimeException e) {
            throw new GroupRefusal("enrol-csr", "the certificate request does not parse");
        }
        throw new GroupRefusal("enrol-csr", "no certificate request in the csr field");
    }

    /** A PEM certificate, or a refusal for {@code reason}. */
    static X509Certificate parseCertificate(String pem, String reason) throws GroupRefusal {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new GroupRefusal(reason, "the certificate does not parse");
        }
    }
}
