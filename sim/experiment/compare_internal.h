/* compare_internal.h - what the files of `compare` share (internal to experiment/). */
#ifndef SLSIM_COMPARE_INTERNAL_H
#define SLSIM_COMPARE_INTERNAL_H

#include "slsim/compare.h"

/* Fill r->break_even (and r->n_break_even) from r's points: every crossing of the
 * monthly costs of each pair compare_is_pair accepts, by pair (a, then b, in
 * scenario order), then by duty cycle. 0, or -1 when out of memory. */
int compare_find_break_evens(struct compare_result *r);

#endif
