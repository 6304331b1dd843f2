package io.ringswitch.topology;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ringswitch.overlay.group.GroupServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * A lab as written in YAML:
 * <pre>
 * name: demo          # 1 to 6 of a-z 0-9; prefixes every namespace (rs-demo-...)
 * sites: 2            # sites, each a namespace with OVS and a node
 * hostsPerSite: 1     # hosts per site, each a namespace on the site bridge
 * underlayMtu: 1500   # MTU of the links between sites
 * overlayMtu: 1360    # MTU of the overlay port and of the hosts
 * shortcuts: 0        # Symphony shortcuts per node (0 to 16; unset: the node's default)
 * offloads: true      # TCP super-frames through OVS (userspace TSO), the overlay port and the hosts;
 *                     # false: frame by frame, hosts' checksum offload off (default true)
 * encrypted: true     # every node gets a certificate from the lab's CA and its links are authenticated
 *                     # and encrypted; false: no identity, plaintext links (default true)
 * credentials:        # sites whose certificate is deliberately bad (default: all valid), see
 *   4: other-ca       # SiteCredential: valid, other-ca, expired, address-mismatch; sites 1 and 2
 *   5: expired        # (the bootstrap addresses) must be valid
 * edges:              # sites behind a NAT or firewall (default: all open), see SiteEdge: open,
 *   3: port-preserving  # port-preserving, random, udp-blocked, firewalled; sites 1 and 2 (the
 *   4: random           # bootstrap addresses) must be open
 * relayChoice: latency  # how every node picks a relay for a peer it cannot reach directly: latency
 *                       # (lowest RTT) or stability (oldest link); unset: the node's default (latency)
 * gateways: [1, 2]    # sites whose node is a full-tunnel gateway (port rsgw, masquerading out of wan0)
 * fullTunnel: [3]     # sites in full-tunnel mode: wan0 on the bridge, the node's address on port rsup
 * internet: true      # an internet namespace behind every uplink (HTTP, DNS, iperf3 servers); implied
 *                     # by gateways or fullTunnel
 * certLifetimeSeconds: 90  # a group server in the underlay namespace ({@link #GROUP_SERVER_IP}) admits
 *                     # every site and renews its certificate, which lives this long (60 s to 4 days);
 *                     # unset: certificates of 4 days and no group server
 * privateGroups:      # private overlays (issue 19): each group has its own CA and ring, and its sites
 *   alpha: [3, 4]     # find each other through the public ring of the other sites (port 5801),
 *   beta: [5, 6]      # knowing only its bootstrap endpoints (sites 1 and 2, which stay public)
 * ringOrder: [1, 3, 6, 2, 4, 5]  # every site once: where the sites sit on the ring, in address order
 *                     # (the lab's CA draws each certificate's salt until the address falls in the
 *                     # site's arc, so that a lab can put two sites apart); unset: wherever the keys fall
 * </pre>
 * Addresses: site {@code i} has underlay address 10.99.0.i/24; host {@code j} of site {@code i}
 * has 10.77.i.j/16 and MAC 02:77:00:00:ii:jj; every site's node also answers DHCP with leases from
 * {@link #DHCP_POOL}. A site behind a NAT ({@link SiteEdge#translated}) listens on 172.16.i.2 behind
 * router namespace {@link #routerNamespace}, which holds 10.99.0.i; a firewalled site keeps
 * 10.99.0.i behind its router. All of them live only inside the lab's namespaces.
 */
public record LabSpec(String name, Integer sites, Integer hostsPerSite, Integer underlayMtu, Integer overlayMtu,
                      Integer shortcuts, Boolean offloads, Boolean encrypted, Map<Integer, SiteCredential> credentials,
                      Map<Integer, SiteEdge> edges, String relayChoice, List<Integer> gateways,
                      List<Integer> fullTunnel, Boolean internet, Integer certLifetimeSeconds,
                      Map<String, List<Integer>> privateGroups, List<Integer> ringOrder) {

    /** How long a site's certificate lives in a lab that does not renew them. */
    public static final Duration DEFAULT_CERT_LIFETIME = GroupServer.DEFAULT_LIFETIME;
    /** The longest lifetime a renewing lab takes (a lab is short-lived; this is to see renewals). */
    static final Duration MAX_CERT_LIFETIME = Duration.ofDays(4);
    /** Where a renewing lab's group server listens: on the underlay bridge of the lab's underlay namespace. */
    public static final String GROUP_SERVER_IP = "10.99.0.253";
    public static final int GROUP_SERVER_PORT = 8443;

    /**
     * A lab without private groups (every site on one ring) whose sites' certificates last
     * {@link #DEFAULT_CERT_LIFETIME} and are not renewed (no group server).
     */
    public LabSpec(String name, Integer sites, Integer hostsPerSite, Integer underlayMtu, Integer overlayMtu,
                   Integer shortcuts, Boolean offloads, Boolean encrypted, Map<Integer, SiteCredential> credentials,
                   Map<Integer, SiteEdge> edges, String relayChoice, List<Integer> gateways,
                   List<Integer> fullTunnel, Boolean internet) {
        this(name, sites, hostsPerSite, underlayMtu, overlayMtu, shortcuts, offloads, encrypted, credentials, edges,
                relayChoice, gateways, fullTunnel, internet, null, null, null);
    }

    /** How a node may choose its relays (the node config's {@code nat.relayChoice}). */
    public static final List<String> RELAY_CHOICES = List.of("latency", "stability");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public static LabSpec of(String name, int sites, int hostsPerSite) {
        return new LabSpec(name, sites, hostsPerSite, null, null, null, null, null, null, null, null, null, null, null).checked();
    }

    /**
     * This lab with a group server (started by the lab in its underlay namespace at
     * {@link #GROUP_SERVER_IP}) that has admitted every site and renews their certificates, which
     * live {@code lifetime}; null: certificates of {@link #DEFAULT_CERT_LIFETIME} and no server.
     */
    public LabSpec withCertLifetime(Duration lifetime) {
        return new LabSpec(name, sites, hostsPerSite, underlayMtu, overlayMtu, shortcuts, offloads, encrypted, credentials, edges,
                relayChoice, gateways, fullTunnel, internet, lifetime == null ? null : Math.toIntExact(lifetime.toSeconds()),
                privateGroups, ringOrder).checked();
    }

    /** Whether the lab runs a group server that renews its sites' certificates. */
    public boolean renewsCertificates() {
        return certLifetimeSeconds != null;
    }

    /** How long a site's certificate lives: the lab's {@code certLifetimeSeconds}, else {@link #DEFAULT_CERT_LIFETIME}. */
    public Duration certLifetime() {
        return certLifetimeSeconds == null ? DEFAULT_CERT_LIFETIME : Duration.ofSeconds(certLifetimeSeconds);
    }

    /** This lab with every node drawing {@code count} shortcuts (0: the ring is near links only). */
    public LabSpec withShortcuts(int count) {
        return new LabSpec(name, sites, hostsPerSite, underlayMtu, overlayMtu, count, offloads, encrypted, credentials, edges,
                relayChoice, gateways, fullTunnel, internet, certLifetimeSeconds, privateGroups, ringOrder).checked();
    }

    /** This lab with TCP offloads on or off everywhere (OVS, the overlay ports, the hosts). */
    public LabSpec withOffloads(boolean on) {
        return new LabSpec(name, sites, hostsPerSite, underlayMtu, overlayMtu, shortcuts, on, encrypted, credentials, edges,
                relayChoice, gateways, fullTunnel, internet, certLifetimeSeconds, privateGroups, ringOrder).checked();
    }

    /** This lab with links authenticated and encrypted (the default), or in plaintext with no node identities. */
    public LabSpec withEncrypted(boolean on) {
        return new LabSpec(name, sites, hostsPerSite, underlayMtu, overlayMtu, shortcuts, offloads, on, credentials, edges,
                relayChoice, gateways, fullTunnel, internet, certLifetimeSeconds, privateGroups, ringOrder).checked();
    }

    /** This lab with the node of {@code site} given {@code credential} instead of its current one. */
    public LabSpec withCredential(int site, SiteCredential credential) {
        Map<Integer, SiteCredential> all = new TreeMap<>(credentials == null ? Map.of() : credentials);
        all.put(site, credential);
        return new LabSpec(name, sites, hostsPerSite, underlayMtu, overlayMtu, shortcuts, offloads, encrypted, all, edges,
                relayChoice, gateways, fullTunnel, internet, certLifetimeSeconds, privateGroups, ringOrder).checked();
    }

    /** This lab with {@code site} behind {@code edge} instead of its current one. */
    public LabSpec withEdge(int site, SiteEdge edge) {
        Map<Integer, SiteEdge> all = new TreeMap<>(edges == null ? Map.of() : edges);
        all.put(site, edge);
        return new LabSpec(name, sites, hostsPerSite, underlayMtu, overlayMtu, shortcuts, offloads, encrypted, credentials, all,
                relayChoice, gateways, fullTunnel, internet, certLifetimeSeconds, privateGroups, ringOrder).checked();
    }

    /** This lab with the overlay (and host) MTU {@code mtu}. */
    public LabSpec withOverlayMtu(int mtu) {
        return new LabSpec(name, sites, hostsPerSite, underlayMtu, mtu, shortcuts, offloads, encrypted, credentials, edges,
                relayChoice, gateways, fullTunnel, internet, certLifetimeSeconds, privateGroups, ringOrder).checked();
    }

    /** This lab with every node choosing its relays by {@code choice} ({@link #RELAY_CHOICES}). */
    public LabSpec withRelayChoice(String choice) {
        return new LabSpec(name, sites, hostsPerSite, underlayMtu, overlayMtu, shortcuts, offloads, encrypted, credentials, edges,
                choice, gateways, fullTunnel, internet, certLifetimeSeconds, privateGroups, ringOrder).checked();
    }

    /**
     * This lab with its sites on the ring in {@code order} (every site once, in ring address order),
     * so that a test can put two sites next to each other or apart.
     */
    public LabSpec withRingOrder(List<Integer> order) {
        return new LabSpec(name, sites, hostsPerSite, underlayMtu, overlayMtu, shortcuts, offloads, encrypted, credentials, edges,
                relayChoice, gateways, fullTunnel, internet, certLifetimeSeconds, privateGroups, List.copyOf(order)).checked();
    }

    /**
     * Where on the ring {@code site}'s address must fall, as its position in {@link #ringOrder}
     * (the arc from position/size to (position+1)/size of the ring); empty when the lab has no order.
     */
    public OptionalInt ringPosition(int site) {
        int i = ringOrder == null ? -1 : ringOrder.indexOf(site);
        return i < 0 ? OptionalInt.empty() : OptionalInt.of(i);
    }

    /** What stands between a site and the underlay: {@link SiteEdge#OPEN} unless the lab says otherwise. */
    public SiteEdge edge(int site) {
        return edges == null ? SiteEdge.OPEN : edges.getOrDefault(site, SiteEdge.OPEN);
    }

    /** The credential of a site's node: {@link SiteCredential#VALID} unless the lab says otherwise. */
    public SiteCredential credential(int site) {
        return credentials == null ? SiteCredential.VALID : credentials.getOrDefault(site, SiteCredential.VALID);
    }

    /** Whether the node of {@code site} is one the ring should take in (its credential is valid). */
    public boolean member(int site) {
        return credential(site) == SiteCredential.VALID;
    }

    public static LabSpec load(Path file) throws IOException {
        try {
            LabSpec spec = YAML.readValue(Files.readString(file), LabSpec.class);
            if (spec == null) {
                throw new IOException(file + " is empty");
            }
            return spec.checked();
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Fills defaults and checks bounds; throws {@link IllegalArgumentException} listing every problem. */
    public LabSpec checked() {
        return LabSpecChecks.checked(this);
    }

    /** The private group of {@code site} (its own CA and ring, found through the public ring), or null for a public site. */
    public String privateGroup(int site) {
        return PrivateGroupSites.groupOf(privateGroups, site);
    }

    /**
     * The lab's rings, each a list of its sites: the public ring (site 1's) first, then each
     * private group's; one ring of every site when the lab has no private groups.
     */
    public List<List<Integer>> rings() {
        return PrivateGroupSites.rings(privateGroups, sites);
    }

    /** Whether {@code site}'s node is a full-tunnel gateway. */
    public boolean gateway(int site) {
        return gateways != null && gateways.contains(site);
    }

    /** Whether {@code site} runs in full-tunnel mode (its uplink on the bridge). */
    public boolean fullTunnel(int site) {
        return fullTunnel != null && fullTunnel.contains(site);
    }

    /** Whether the lab has an internet namespace ({@link #internetNamespace}) behind the sites' uplinks. */
    public boolean hasInternet() {
        return internet != null && internet;
    }

    public String prefix() {
        return "rs-" + name;
    }

    public String wanNamespace() {
        return prefix() + "-wan";
    }

    public String siteNamespace(int site) {
        return prefix() + "-s" + site;
    }

    public String hostNamespace(int site, int host) {
        return prefix() + "-s" + site + "h" + host;
    }

    /**
     * The site's address on the underlay: where other sites reach it (for a site behind a NAT, the
     * NAT's public address, held by its router).
     */
    public String siteUnderlayIp(int site) {
        return "10.99.0." + site;
    }

    /** The namespace that stands for the Internet: on the underlay bridge, behind every site's default route. */
    public String internetNamespace() {
        return prefix() + "-inet";
    }

    /** The internet namespace's address on the underlay, every site's default gateway when the lab has one. */
    public static final String INTERNET_UNDERLAY_IP = "10.99.0.254";
    /** The public address of the internet's web and iperf3 server. */
    public static final String INTERNET_WEB_IP = "198.51.100.10";
    /** The public address of the internet's DNS server (the gateways' resolver). */
    public static final String INTERNET_DNS_IP = "198.51.100.53";
    /** The name the internet's DNS server answers with {@link #INTERNET_WEB_IP}. */
    public static final String INTERNET_WEB_NAME = "www.example.test";
    /** An outside IPv6 address in the internet namespace, for leak attempts (RFC 3849 documentation prefix). */
    public static final String INTERNET_IPV6 = "2001:db8:99::10";
    /** The internet namespace's IPv6 address on the underlay, gateway sites' IPv6 default route. */
    public static final String INTERNET_UNDERLAY_IP6 = "2001:db8:ff::fe";
    /** The VPN's IPv6 prefix (RFC 4193 unique local), masqueraded by gateways that carry IPv6. */
    public static final String VPN_IPV6_PREFIX = "fd77::/64";
    /** The site's gateway port (rsgw) on a gateway site. */
    public static final String GATEWAY_PORT = "rsgw";
    /** The internal port that holds a full-tunnel site's underlay address. */
    public static final String LOCAL_PORT = "rsup";
    /** The address hosts use as router and resolver: the sites' DHCP server, answered by each site's controller. */
    public static final String ROUTER_IP = "10.77.255.254";

    /** A gateway site's IPv6 underlay address (on its uplink, next to {@link #siteUnderlayIp}): what NAT66 shows the Internet. */
    public String siteUnderlayIp6(int site) {
        return "2001:db8:ff::" + site;
    }

    /** A gateway site's IPv6 VPN address, on its gateway port. */
    public String gatewayVpnIp6(int site) {
        return "fd77::fe:" + site;
    }

    /** A host's IPv6 VPN address, given by {@link TunnelProbes#fetchIpv6}. */
    public String hostVpnIp6(int site, int host) {
        return "fd77::" + site + ":" + host;
    }

    /** A gateway site's VPN address, on its gateway port. */
    public String gatewayVpnIp(int site) {
        return "10.77.254." + site;
    }

    /** The router namespace in front of a site whose edge is not open. */
    public String routerNamespace(int site) {
        return prefix() + "-r" + site;
    }

    /** The address the site's node binds: its private address behind a NAT, else its underlay address. */
    public String siteListenIp(int site) {
        return edge(site).translated() ? "172.16." + site + ".2" : siteUnderlayIp(site);
    }

    /** The router's address on the site's side of a NAT, the site's default gateway. */
    public String natGatewayIp(int site) {
        return "172.16." + site + ".1";
    }

    /** The hosts' subnet, which every site's DHCP server hands out addresses of. */
    public static final String HOST_SUBNET = "10.77.0.0/16";
    /** DHCP leases come from here, clear of the static addresses 10.77.SITE.HOST (sites up to 199). */
    public static final String DHCP_POOL = "10.77.200.1-10.77.239.254";
    /** Short leases, so that a lab sees clients renew within its tests. */
    public static final int DHCP_LEASE_SECONDS = 30;

    public String hostIp(int site, int host) {
        return "10.77." + site + "." + host;
    }

    public String hostMac(int site, int host) {
        return String.format("02:77:00:00:%02x:%02x", site, host);
    }
}
