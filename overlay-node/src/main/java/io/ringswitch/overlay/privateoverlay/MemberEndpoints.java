package io.ringswitch.overlay.privateoverlay;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Where a member of a private overlay takes links of its group's ring: the value of its
 * {@code private:} record on the public ring, in the bytes of {@link MemberEndpointsCodec}. Who the
 * member is (its private ring address) is not in the value: it is the certificate that signs the
 * record, so that no member can publish endpoints in another's name.
 *
 * @param endpoints 1 to {@value MemberEndpointsCodec#MAX_ENDPOINTS} UDP endpoints of the private ring
 */
public record MemberEndpoints(List<InetSocketAddress> endpoints) {
    public MemberEndpoints {
        endpoints = List.copyOf(endpoints);
    }
}
