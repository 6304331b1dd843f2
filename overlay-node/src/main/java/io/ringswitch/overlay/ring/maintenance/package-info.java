/**
 * Which links a node holds. Each part holds claims on the links it needs: the joiner on its join
 * link, near neighbours on the nearest nodes on both sides, Symphony shortcuts on its harmonic
 * draws, on-demand links on busy pairs, and {@link io.ringswitch.overlay.ring.maintenance.Relays relays}
 * on the links that carry a pair no punch could link (issue 10); the trimmer closes links that
 * neither side claims. Together they are the link layer's admission policy.
 */
package io.ringswitch.overlay.ring.maintenance;
