/**
 * Private overlays bootstrapped from a public one (issue 19, the IPOP paper §4.4): a node whose
 * ring is its group's own also joins a public ring, publishes its private ring's endpoints there
 * under {@code private:GROUP:CA} in a record signed by its group certificate, and joins its private
 * ring through the endpoints of the records that pass the group's CA. The public ring carries
 * discovery only; frames, and every link of the private ring, stay under the group's CA.
 */
package io.ringswitch.overlay.privateoverlay;
