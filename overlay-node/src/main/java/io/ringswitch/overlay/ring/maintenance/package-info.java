/**
 * Which links a node holds. Each part holds claims on the links it needs: the joiner on its join
 * link, near neighbours on the nearest nodes on both sides, Symphony shortcuts on its harmonic
 * draws; the trimmer closes links that neither side claims. On-demand shortcuts and relays will be
 * more claimants. Together they are the link layer's admission policy.
 */
package io.ringswitch.overlay.ring.maintenance;
