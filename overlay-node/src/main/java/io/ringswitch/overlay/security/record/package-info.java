/**
 * Records of an authenticated link (#8): frames and ring messages sealed and opened in place with
 * AES-256-GCM in the buffer they travel in, a 64-bit counter as the nonce, and a sliding window
 * that refuses replays. Not yet wired into the links: the handshake that gives the keys comes next.
 */
package io.ringswitch.overlay.security.record;
