/* llm_engine.h - an LLM instance's iteration-level scheduler, vLLM's (llm_engine.c).
 *
 * The execution core runs it in place of processor sharing when the model is an LLM
 * (CORE_PERF_LLM): the platform gives each request a slot on an instance as for any
 * model and calls core_share_start; the instance's engine then runs iterations back
 * to back while it has sequences, one event per iteration, and hands back at each
 * iteration's end the requests it finished (core_share_due, _pop, _reschedule, as
 * under processor sharing). Memory: O(sequences on the instances). */
#ifndef SLSIM_PLATFORM_LLM_ENGINE_H
#define SLSIM_PLATFORM_LLM_ENGINE_H

#include "slsim/llm.h"

#include "core.h"

struct llm_engine;

/* A FIFO of sequence ids (an instance's waiting requests); defined here, in a header,
 * as core.h's queue is, so that the helpers it does not use draw no warning. */
RING_DEFINE(llm_ids, uint32_t)

/* An engine for every instance of a platform whose iterations are timed by perf
 * (borrowed: it must outlive the engine), pushing its events as kind on heap and
 * counting into res->llm (allocated by the caller) and occ's timeline. Iterations and
 * requests count from warmup_ns; iteration-time is cut at end_ns. NULL when out of
 * memory. */
struct llm_engine *llm_engine_create(const struct llm_perf *perf, struct event_heap *heap,
                                     uint32_t kind, struct occupancy *occ,
                                     struct deployment_result *res, sim_time warmup_ns,
                                     sim_time end_ns);
void llm_engine_destroy(struct llm_engine *e);

/* 1 when request r can never be served: prompt + output over the model's context
 * (the only limit left: the engine's cache holds a full context, and its token budget
 * with chunked prefill off is at least one), counted as rejected when measured. 0
 * otherwise. */
int llm_engine_refuse(struct llm_engine *e, const struct request *r);

/* Request r joins the waiting queue of one of instance `machine`'s engines (its
 * data_parallel_size of them: the one with the fewest requests) at start_ns (ahead of
 * now only on an instance still starting: its first iteration begins then); cold_ns
 * and flags come back with it. The engine's events carry its own index, machine x
 * data_parallel_size + k (llm_engine_owner maps it back). 0, or -1 when out of
 * memory. */
int llm_engine_add(struct llm_engine *e, uint32_t machine, const struct request *r,
                   sim_time start_ns, sim_time cold_ns, uint32_t flags);

/* The instance an engine's index (an event's) belongs to. */
uint32_t llm_engine_owner(const struct llm_engine *e, uint32_t index);

/* At an event of instance index at now: 1 when it is the instance's pending one (an
 * iteration's end, whose tokens are now out, or the start of its first); then
 * llm_engine_pop until 0, and llm_engine_reschedule. 0: superseded, ignore it. */
int llm_engine_due(struct llm_engine *e, uint32_t index, sim_time now);

/* The next request instance index finished in the iteration that just ended: 1, or
 * 0 when none is left. */
int llm_engine_pop(struct llm_engine *e, uint32_t index, struct core_job *job);

/* Start instance index's next iteration at now if it has sequences. 0, or -1 when out
 * of memory. */
int llm_engine_reschedule(struct llm_engine *e, uint32_t index, sim_time now);

/* KV blocks instance index holds now (the invariant: at most the engine's kv_blocks). */
uint64_t llm_engine_blocks_used(const struct llm_engine *e, uint32_t index);

/* Requests waiting in instance `machine`'s engines (admitted by the platform, not yet
 * running: their prompts not begun, or preempted), and the KV blocks they hold. */
uint32_t llm_engine_waiting(const struct llm_engine *e, uint32_t machine);
uint64_t llm_engine_machine_blocks(const struct llm_engine *e, uint32_t machine);

#endif
