/** Small helpers for the packets the controller reads and writes itself (checksums). */
package io.ringswitch.controller.packet;
