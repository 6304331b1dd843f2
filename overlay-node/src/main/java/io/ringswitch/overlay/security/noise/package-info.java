/**
 * The Noise Protocol Framework (revision 34, noiseprotocol.org/noise.html), the parts the link
 * handshake of #8 needs: {@code Noise_XX_25519_AESGCM_SHA256}, with X25519 from Bouncy Castle
 * and AES-GCM, SHA-256 and HMAC from the JDK. Checked against cacophony's published test vectors.
 */
package io.ringswitch.overlay.security.noise;
