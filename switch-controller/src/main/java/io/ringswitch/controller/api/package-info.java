/**
 * What other modules may use of the switch controller: its configuration, its status, and the
 * narrow listener through which it reports switches coming and going.
 */
package io.ringswitch.controller.api;
