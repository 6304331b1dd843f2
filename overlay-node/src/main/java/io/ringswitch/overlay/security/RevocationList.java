package io.ringswitch.overlay.security;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CRLEntryHolder;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/**
 * The revocation records in a CRL from the group server ({@code GET /crl}): the CRL must be issued
 * and signed by the group's CA (RFC 5280 §6.3.3 (f), (g)) and not be past its next update; each
 * entry carries its record in a private entry extension, whose own CA signature is checked again
 * by {@link Revocations} before anything is revoked. An entry without a record (a CRL from another
 * tool) is counted as such and skipped: this node could neither tie it to a ring address nor hand
 * it on.
 */
public final class RevocationList {
    /**
     * The entry extension that carries a {@link RevocationRecord} ({@link RevocationCodec} bytes in
     * an OCTET STRING): an OID under the UUID arc 2.25 (ITU-T X.667), which needs no registration.
     */
    public static final ASN1ObjectIdentifier RECORD_EXTENSION =
            new ASN1ObjectIdentifier("2.25.27567133405027049672485713437159414987");

    /**
     * What a CRL held: its records, how many entries carried none, its CRL number (RFC 5280
     * §5.2.3; -1 when it has none) and when it was issued (its thisUpdate).
     */
    public record Read(List<RevocationRecord> records, int withoutRecord, long number, Instant issued) {
    }

    /** A CRL that is not the group CA's, is out of date, or does not parse. */
    public static final class Refused extends Exception {
        private final String reason;

        Refused(String reason, String detail) {
            super(detail);
            this.reason = reason;
        }

        /** The counter's name, e.g. {@code crl-bad-signature}. */
        public String reason() {
            return reason;
        }
    }

    private RevocationList() {
    }

    /** The records of {@code der}, a CRL checked against {@code ca} at {@code now}. */
    public static Read read(byte[] der, X509Certificate ca, Instant now) throws Refused {
        X509CRLHolder crl;
        try {
            crl = new X509CRLHolder(der);
        } catch (IOException | RuntimeException e) {
            throw new Refused("crl-malformed", "the CRL does not parse: " + e.getMessage());
        }
        if (!crl.getIssuer().equals(X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()))) {
            throw new Refused("crl-other-issuer", "issued by " + crl.getIssuer() + ", not by the group's CA");
        }
        try {
            if (!crl.isSignatureValid(new JcaContentVerifierProviderBuilder().build(new JcaX509CertificateHolder(ca)))) {
                throw new Refused("crl-bad-signature", "its signature is not the group CA's");
            }
        } catch (Refused e) {
            throw e;
        } catch (Exception e) {
            throw new Refused("crl-bad-signature", "its signature cannot be checked: " + e.getMessage());
        }
        if (crl.getNextUpdate() != null && now.isAfter(crl.getNextUpdate().toInstant())) {
            throw new Refused("crl-stale", "it was due for an update at " + crl.getNextUpdate().toInstant());
        }
        List<RevocationRecord> records = new ArrayList<>();
        int without = 0;
        @SuppressWarnings("unchecked")
        Collection<X509CRLEntryHolder> entries = crl.getRevokedCertificates();
        for (X509CRLEntryHolder entry : entries) {
            Extension e = entry.getExtension(RECORD_EXTENSION);
            if (e == null) {
                without++;
                continue;
            }
            try {
                RevocationRecord r = RevocationCodec.decode(ASN1OctetString.getInstance(e.getParsedValue()).getOctets());
                if (!r.serial().equals(entry.getSerialNumber())) {
                    throw new Refused("crl-malformed", "an entry for " + entry.getSerialNumber().toString(16)
                            + " carries the record of " + r.serial().toString(16));
                }
                records.add(r);
            } catch (RevocationCodec.Malformed | RuntimeException ex) {
                throw new Refused("crl-malformed", "an entry's record does not parse: " + ex.getMessage());
            }
        }
        Extension n = crl.getExtension(Extension.cRLNumber);
        long number;
        try {
            number = n == null ? -1 : ASN1Integer.getInstance(n.getParsedValue()).getValue().longValue();
        } catch (RuntimeException ex) {
            throw new Refused("crl-malformed", "its CRL number does not parse: " + ex.getMessage());
        }
        return new Read(records, without, number, crl.getThisUpdate().toInstant());
    }
}
