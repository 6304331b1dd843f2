/**
 * IGMP/MLD snooping on the bridge: membership messages from local ports reach the controller and
 * no other port, the controller queries when no router does, and each IP group with members here
 * leaves by one OpenFlow group (type ALL) with a bucket per member port, plus the overlay port
 * while other sites have members. {@link io.ringswitch.controller.multicast.MulticastManager} is
 * the manager; the codecs are the only classes that know IGMP's and MLD's byte offsets.
 */
package io.ringswitch.controller.multicast;
