/**
 * The switching pipeline's shared vocabulary: the tables in the order a frame meets them
 * ({@link io.ringswitch.controller.pipeline.Tables}), the cookie each manager owns, and the
 * interface every manager implements. Managers live in their own packages and return OpenFlow
 * messages; the channel layer sends them.
 */
package io.ringswitch.controller.pipeline;
