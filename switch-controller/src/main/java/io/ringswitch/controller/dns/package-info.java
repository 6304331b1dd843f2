/**
 * The site's DNS address (the router address a full tunnel hands out): names of the group's hosts
 * are answered from the overlay's name directory, every other query goes through the tunnel to the
 * chosen gateway's resolver, and nothing is answered from or sent to the underlay.
 */
package io.ringswitch.controller.dns;
