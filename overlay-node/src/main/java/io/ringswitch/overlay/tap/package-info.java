/** Linux TAP devices through JNA ({@code /dev/net/tun}, {@code IFF_TAP | IFF_NO_PI}). */
package io.ringswitch.overlay.tap;
