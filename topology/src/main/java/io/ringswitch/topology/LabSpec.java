package io.ringswitch.topology;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ringswitch.overlay.api.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A lab as written in YAML:
 * <pre>
 * name: demo          # 1 to 6 of a-z 0-9; prefixes every namespace (rs-demo-...)
 * sites: 2            # sites, each a namespace with OVS and a node
 * hostsPerSite: 1     # hosts per site, each a namespace on the site bridge
 * underlayMtu: 1500   # MTU of the links between sites
 * overlayMtu: 1380    # MTU of the overlay port and of the hosts
 * shortcuts: 0        # Symphony shortcuts per node (0 to 16; unset: the node's default)
 * offloads: true      # TCP super-frames through OVS (userspace TSO), the overlay port and the hosts;
 *                     # false: frame by frame, hosts' checksum offload off (default true)
 * </pre>
 * Addresses: site {@code i} has underlay address 10.99.0.i/24; host {@code j} of site {@code i}
 * has 10.77.i.j/16 and MAC 02:77:00:00:ii:jj. All of them live only inside the lab's namespaces.
 */
public record LabSpec(String name, Integer sites, Integer hostsPerSite, Integer underlayMtu, Integer overlayMtu,
                      Integer shortcuts, Boolean offloads) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public static LabSpec of(String name, int sites, int hostsPerSite) {
        return new LabSpec(name, sites, hostsPerSite, null, null, null, null).checked();
    }

    /** This lab with every node drawing {@code count} shortcuts (0: the ring is near links only). */
    public LabSpec withShortcuts(int count) {
        return new LabSpec(name, sites, hostsPerSite, underlayMtu, overlayMtu, count, offloads).checked();
    }

    /** This lab with TCP offloads on or off everywhere (OVS, the overlay ports, the hosts). */
    public LabSpec withOffloads(boolean on) {
        return new LabSpec(name, sites, hostsPerSite, underlayMtu, overlayMtu, shortcuts, on).checked();
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
        List<String> problems = new ArrayList<>();
        String n = name == null ? "lab" : name;
        int s = sites == null ? 2 : sites;
        int h = hostsPerSite == null ? 1 : hostsPerSite;
        int under = underlayMtu == null ? 1500 : underlayMtu;
        int over = overlayMtu == null ? NodeConfig.DEFAULT_MTU : overlayMtu;
        if (!n.matches("[a-z0-9]{1,6}")) {
            problems.add("name: 1 to 6 of a-z 0-9 (got '" + n + "')");
        }
        if (s < 2 || s > 50) {
            problems.add("sites: 2 to 50 (got " + s + ")");
        }
        if (h < 1 || h > 20) {
            problems.add("hostsPerSite: 1 to 20 (got " + h + ")");
        }
        if (over < 576 || over + NodeConfig.OVERHEAD > under) {
            problems.add("overlayMtu: " + over + " must be at least 576 and leave " + NodeConfig.OVERHEAD
                    + " bytes under underlayMtu " + under);
        }
        if (shortcuts != null && (shortcuts < 0 || shortcuts > 16)) {
            problems.add("shortcuts: 0 to 16 (got " + shortcuts + ")");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new LabSpec(n, s, h, under, over, shortcuts, offloads == null || offloads);
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

    public String siteUnderlayIp(int site) {
        return "10.99.0." + site;
    }

    public String hostIp(int site, int host) {
        return "10.77." + site + "." + host;
    }

    public String hostMac(int site, int host) {
        return String.format("02:77:00:00:%02x:%02x", site, host);
    }
}
