/**
 * Storm control: per-port OpenFlow meters that bound what a port may flood and what it may send
 * to the controller, so that one looping or hostile host cannot saturate the bridge or the controller.
 */
package io.ringswitch.controller.storm;
