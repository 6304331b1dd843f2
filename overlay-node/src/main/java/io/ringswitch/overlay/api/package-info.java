/** What other modules may use of the overlay node: its configuration and its status. */
package io.ringswitch.overlay.api;
