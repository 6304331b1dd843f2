/**
 * The node's metrics (issue 20): one Prometheus registry per node (never the client library's
 * default registry, since tests run many nodes in one JVM), the counters and gauges every part
 * registers in it, a second ring node's registry shown renamed in the node's, the reads of what an
 * event loop owns at scrape time, the operator's HTTP endpoint that serves them in the text
 * exposition format, and the reader that turns a scrape of the registry into the status file's sections.
 */
package io.ringswitch.overlay.metrics;
