package io.ringswitch.overlay.security;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x509.Extension;

/**
 * The roles the group CA grants a node beyond membership, written into its certificate when it
 * issues it. A member may publish what every member publishes; a record that speaks for the group
 * (a gateway record under {@code gw:GROUP}, which draws other sites' Internet traffic) needs a
 * certificate that names the role, so that a member cannot make itself a gateway by publishing.
 *
 * <p>The roles travel in a non-critical X.509 v3 extension (RFC 5280 §4.2) under a private OID, as
 * the {@link RingSalt ring salt} does and for the same reasons (a UUID-based OID, ITU-T X.667;
 * non-critical so that generic tools still read the certificate):
 * <pre>
 *   Extension { extnID 2.25.331515717103643752296551165375963550290, critical FALSE,
 *               extnValue OCTET STRING { SEQUENCE (SIZE(1..16)) OF UTF8String (SIZE(1..32)) } }
 * </pre>
 * A certificate without the extension holds no role. A role is a lower-case word; only
 * {@link #GATEWAY} has a meaning today.
 */
public final class NodeRoles {
    /** The extension's OID: a UUID-based OID (ITU-T X.667), no registry needed. */
    public static final ASN1ObjectIdentifier OID = new ASN1ObjectIdentifier("2.25.331515717103643752296551165375963550290");
    /** The role of a full-tunnel gateway: it may publish gateway records for the group. */
    public static final String GATEWAY = io.ringswitch.overlay.ring.dht.DhtRecords.GATEWAY_ROLE;
    private static final int MAX_ROLES = 16;
    private static final String ROLE = "[a-z][a-z0-9-]{0,31}";

    private NodeRoles() {
    }

    /** Checks {@code roles} (1 to 16 lower-case words) and returns them sorted. */
    public static Set<String> checked(Set<String> roles) {
        if (roles.size() > MAX_ROLES) {
            throw new IllegalArgumentException("a certificate names at most " + MAX_ROLES + " roles, not " + roles.size());
        }
        for (String role : roles) {
            if (role == null || !role.matches(ROLE)) {
                throw new IllegalArgumentException("a role is a lower-case word of 1 to 32 of a-z 0-9 - (got " + role + ")");
            }
        }
        return Collections.unmodifiableSet(new TreeSet<>(roles));
    }

    /** The extension that names {@code roles} (non-empty, see {@link #checked}). */
    public static Extension extension(Set<String> roles) {
        Set<String> sorted = checked(roles);
        if (sorted.isEmpty()) {
            throw new IllegalArgumentException("a certificate without roles carries no roles extension");
        }
        ASN1EncodableVector names = new ASN1EncodableVector();
        sorted.forEach(role -> names.add(new DERUTF8String(role)));
        try {
            return new Extension(OID, false, new DERSequence(names).getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The roles {@code certificate} names; empty when it carries no roles extension.
     *
     * @throws NodeCertificate.CertificateRejected when the extension is there but does not parse
     *         as the class comment says
     */
    public static Set<String> of(X509Certificate certificate) throws NodeCertificate.CertificateRejected {
        byte[] wrapped = certificate.getExtensionValue(OID.getId());
        if (wrapped == null) {
            return Set.of();
        }
        try {
            ASN1OctetString extnValue = ASN1OctetString.getInstance(wrapped);
            ASN1Sequence sequence = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(extnValue.getOctets()));
            if (sequence.size() == 0 || sequence.size() > MAX_ROLES) {
                throw new IllegalArgumentException(sequence.size() + " roles");
            }
            Set<String> roles = new TreeSet<>();
            for (ASN1Encodable element : sequence) {
                roles.add(DERUTF8String.getInstance(element).getString());
            }
            return checked(roles);
        } catch (IOException | IllegalArgumentException e) {
            throw new NodeCertificate.CertificateRejected(NodeCertificate.Kind.INVALID,
                    "its roles do not parse (" + e.getMessage() + ")");
        }
    }
}
