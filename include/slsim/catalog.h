/* catalog.h - the pricing catalog: platforms, instance types, discounts.
 *
 * A catalog is data (YAML under scenarios/pricing/), dated, with a source and a
 * date beside every price, so a reader can check each number and a team can point
 * `pricing:` at its own negotiated prices. scenarios/pricing/default.yaml is built
 * into the program and used when a scenario names no catalog. */
#ifndef SLSIM_CATALOG_H
#define SLSIM_CATALOG_H

#include <stddef.h>
#include <stdint.h>

#include "slsim/dist.h"
#include "slsim/error.h"
#include "slsim/text.h"
#include "slsim/units.h"

#define CATALOG_TEXT_MAX 256
#define CATALOG_MEMORY_SIZES_MAX 32 /* longest explicit list of memory settings */

struct price {
    double usd;                     /* the price, >= 0; 0 when not set */
    int set;                        /* 1 when the catalog gives this price */
    char source[CATALOG_TEXT_MAX];  /* where it was read */
    char date[16];                  /* date the source states, YYYY-MM-DD (or YYYY-MM, YYYY) */
};

/* How a serverless platform turns what happened into a bill. */
enum billing_mode {
    BILLING_REQUEST,  /* per request: fee + rounded duration x (memory, vCPU, GPU) rates (Lambda, SageMaker Serverless, Azure Functions) */
    BILLING_BUSY,     /* per busy period of an instance, rounded, + per-request fee (Cloud Run request-based) */
    BILLING_INSTANCE, /* whole instance life, start to teardown, idle keep-warm included (Cloud Run instance-based, Modal, RunPod) */
};

/* How a platform bills capacity kept warm for a deployment (`provisioned:`): Lambda
 * provisioned concurrency, Azure Flex always-ready instances, Cloud Run min
 * instances, a serverless GPU provider's minimum workers. Derived from the billing
 * block by catalog_parse; see catalog_provisioned_rule_name for the words. */
enum provisioned_rule {
    PROVISIONED_UNPRICED,   /* no price at all (generic): kept-warm capacity costs nothing */
    PROVISIONED_NONE,       /* no sourced price: `provisioned` is refused at load time */
    PROVISIONED_ALLOCATION, /* provisioned_gb_s x memory x allocated time (in provisioned_rounding
                               blocks), plus execution on it at provisioned_exec_gb_s, billed
                               per request (request mode) or per busy period (busy mode)
                               (Lambda provisioned concurrency; Azure Flex always-ready) */
    PROVISIONED_IDLE_RATE,  /* busy mode: busy periods at the platform's active rates, idle time at
                               provisioned_idle_vcpu_s and provisioned_idle_gb_s (Cloud Run
                               request-based min instances) */
    PROVISIONED_INSTANCE,   /* instance mode: the instance's whole life at the full vCPU, memory and
                               GPU rates (Cloud Run instance-based and GPU min instances, Modal,
                               RunPod) */
};

/* A tier of the duration price: from this much usage per month on, this price. */
struct price_tier {
    double from_units_per_month; /* GB-s (or GiB-s) per month where the tier starts */
    struct price unit;           /* price per GB-s in the tier */
};

/* Where a cold-start constant comes from: a published source with its date, or an
 * assumption (source text beginning "assumed"), so reports can say which numbers
 * nobody measured. */
struct coldstart_constant {
    int assumed;                     /* 1: nobody published it; the text says why this value */
    char source[CATALOG_TEXT_MAX];   /* source and date, or "assumed: ..." */
};

/* One way a model reaches an instance, for models up to max_bytes (Lambda: a zip
 * package up to 250 MB, a container image up to 10 GiB, beyond that a download from
 * S3 at init). */
#define CATALOG_MAX_ARTIFACTS 4
struct coldstart_artifact {
    char name[SLSIM_NAME_MAX];     /* e.g. "zip", "image", "s3" ("artifact" for a lone fetch_bandwidth) */
    int64_t max_bytes;               /* largest model shipped this way; 0 = any size */
    double fetch_bytes_per_s;        /* the model's bytes reach the instance at this rate, bytes/s (0: nothing fetched) */
    sim_time overhead_ns;            /* fixed cost of starting this way, whatever the size (0: none) */
    struct coldstart_constant c;     /* source of max and bandwidth */
};

struct platform_profile {
    char name[SLSIM_NAME_MAX];     /* as written in `platform:` */
    char summary[CATALOG_TEXT_MAX];  /* one line for `slsim catalog list` */
    sim_time default_keep_alive_ns;  /* keep-alive when a deployment sets none */
    char keep_alive_note[CATALOG_TEXT_MAX]; /* where that keep-alive comes from */
    sim_time scale_out_delay_ns;     /* batching: how long the queue must outgrow the instances
                                        before one more starts, when a deployment sets none */
    char scale_out_delay_note[CATALOG_TEXT_MAX]; /* where that delay comes from */

    /* cold start = init (random) + fetch (size / the artifact's bandwidth) + load
     * (size / load bandwidth) + copy (weights / host-to-GPU copy bandwidth) + engine
     * (random); every constant carries its own source, or "assumed" */
    int has_coldstart;               /* 0: no profile; instances are ready at once unless a deployment sets coldstart */
    int coldstart_none;              /* `coldstart: none` was written: no profile, said on purpose */
    struct dist init;                /* runtime and sandbox start, owned */
    struct coldstart_constant init_c;/* init's source */
    double load_bytes_per_s;         /* weights read and deserialized into memory (or GPU memory), bytes/s (0: not modelled) */
    struct coldstart_constant load_c;
    struct coldstart_artifact artifacts[CATALOG_MAX_ARTIFACTS]; /* by max, ascending: of those that hold the model, the quickest ships it */
    size_t n_artifacts;              /* 0: fetch not modelled */
    sim_time init_timeout_ns;        /* an init longer than this is cut off and retried inside the first invocation (Lambda: 10 s); 0 = none */
    struct coldstart_constant init_timeout_c;
    double copy_bytes_per_s;         /* GPU platforms: the weights copied from host memory to the GPU, bytes/s (0: not modelled) */
    struct coldstart_constant copy_c;
    int has_engine;                  /* 1: an engine start follows the copy */
    struct dist engine;              /* engine start: CUDA context, graph capture or compilation; never
                                        empirical (catalog_destroy frees init only) */
    struct coldstart_constant engine_c;
    int has_llm_engine;              /* 1: an LLM's engine start is llm_engine, not vLLM's default */
    struct dist llm_engine;          /* an LLM engine's start on this platform (the engine stage for
                                        model.llm; 0 where a snapshot restores the engine); never
                                        empirical */
    struct coldstart_constant llm_engine_c;

    /* limits (0 = none). The memory settings are memory_sizes_bytes when the list is
     * given, else min, min + step, ..., max when a step is given, else any size from
     * min to max (a platform with no memory setting, or none published). */
    int64_t memory_min_bytes;        /* smallest memory setting */
    int64_t memory_max_bytes;        /* largest memory setting */
    int64_t memory_step_bytes;       /* settings are min + k * step; 0 = no step */
    int64_t memory_sizes_bytes[CATALOG_MEMORY_SIZES_MAX]; /* the only settings, ascending */
    size_t n_memory_sizes;           /* 0: no explicit list */
    char memory_written_in[8];       /* unit the provider writes settings in ("MiB"), for messages */
    double memory_written_bytes;     /* bytes in one memory_written_in */
    uint32_t concurrency_max;        /* requests one instance may serve at once (>= 1) */
    sim_time timeout_ns;             /* longest execution */
    uint32_t account_concurrency;    /* instances across the account */
    uint32_t unreserved_concurrency_min; /* of account_concurrency, what reservations must leave
                                            to the functions without one (Lambda: 100) */

    /* billing */
    enum billing_mode billing;       /* which meter */
    double memory_unit_bytes;        /* the "GB" of a GB-second: 2^30 (GiB) or 1e9 */
    int64_t memory_round_bytes;      /* billed memory is rounded up to a multiple (Azure: 128 MB); 0 = none */
    sim_time round_ns;               /* billed durations are rounded up to a multiple of this, > 0 */
    sim_time minimum_ns;             /* and are at least this */
    int init_billed;                 /* request and busy modes: the cold start is billed; instance mode: billed from creation (1) or from ready (0) */
    sim_time init_max_ns;            /* billed init is capped at this; 0 = no cap */
    double vcpu;                     /* vCPUs billed per instance (busy, instance modes; request mode when vcpu_s is set) */
    double gpus;                     /* GPUs billed per instance */
    struct price request;            /* per request */
    struct price gb_s;               /* per GB-second (memory_unit_bytes) of billed duration */
    struct price vcpu_s;             /* per vCPU-second */
    struct price gpu_s;              /* per GPU-second */
    struct price_tier *tiers;        /* duration-price tiers by monthly usage, ascending, owned; NULL = flat */
    size_t n_tiers;
    struct price provisioned_gb_s;   /* provisioned capacity, per GB-second allocated */
    struct price provisioned_exec_gb_s; /* execution on provisioned capacity, per GB-second */
    sim_time provisioned_round_ns;   /* provisioned periods are rounded up to this (Lambda: 5 min) */
    sim_time provisioned_ready_ns;   /* a new provisioned allocation becomes warm after this */
    struct price provisioned_idle_gb_s;   /* idle kept-warm instance, per GB-second (busy mode) */
    struct price provisioned_idle_vcpu_s; /* idle kept-warm instance, per vCPU-second (busy mode) */
    enum provisioned_rule provisioned_rule; /* how kept-warm capacity is billed (derived) */
    double free_requests;            /* free tier per month (used only with free_tier: true) */
    double free_gb_s;                /* free GB-seconds per month */
    double free_vcpu_s;              /* free vCPU-seconds per month */
    int free_with_provisioned;       /* 1 (default): the free tier still applies to a deployment
                                        with provisioned capacity; 0: not (Lambda) */
    char free_source[CATALOG_TEXT_MAX];

    /* what one instance computes with, for the performance models (perf.h) */
    double vcpus;                    /* vCPUs of one instance; 0 = not stated (see memory_per_vcpu) */
    int64_t memory_per_vcpu_bytes;   /* vCPUs proportional to memory: one per this many bytes
                                        (Lambda: 1,769 MiB); 0 = not so */
    char accelerator[SLSIM_NAME_MAX]; /* the accelerator's name in `accelerators:`, "" = CPU only */
    uint32_t accelerators;           /* accelerators per instance (>= 1 when named) */
    char hardware_source[CATALOG_TEXT_MAX]; /* where vcpus, memory_per_vcpu and the accelerator
                                        were read ("" when the catalog states none) */

    /* metrics-based autoscaling (Cloud Run): besides the instances requests start on
     * demand, the platform keeps the instances the trailing window's average load
     * needs at the targets; 0 targets = on demand only */
    double scale_cpu_target;         /* of the vCPUs of the instances, in (0, 1] */
    double scale_concurrency_target; /* of the maximum concurrency, in (0, 1] */
    sim_time scale_window_ns;        /* averaging window */
    sim_time scale_tick_ns;          /* how often the autoscaler decides */
    char scale_source[CATALOG_TEXT_MAX];
};

/* An accelerator (a GPU model) as the performance models see it: the catalog's
 * `accelerators:` list. Throughputs are dense (no 2:4 structured sparsity): NVIDIA's
 * Ampere, Ada and Hopper datasheets quote tensor throughput with sparsity, twice the
 * dense figure. Bandwidths are per direction. */
struct accelerator {
    char name[SLSIM_NAME_MAX];       /* e.g. "T4", "H100-SXM"; unique in the catalog */
    char summary[CATALOG_TEXT_MAX];  /* one line for `slsim catalog list gpus` */
    int64_t memory_bytes;            /* device memory, bytes */
    int64_t memory_reported_bytes;   /* the total the device reports to CUDA (what vLLM's
                                        gpu_memory_utilization multiplies); 0 = not known,
                                        memory_bytes is used */
    double memory_bytes_per_s;       /* peak device-memory bandwidth, bytes/s */
    double fp16_flops;               /* dense FP16/BF16 tensor throughput, FLOP/s */
    double fp8_flops;                /* dense FP8 tensor throughput, FLOP/s; 0 = none */
    double int8_ops;                 /* dense INT8 tensor throughput, OP/s; 0 = none */
    char host_link[SLSIM_NAME_MAX];  /* e.g. "PCIe Gen4 x16" */
    char gpu_link[SLSIM_NAME_MAX];   /* GPU-to-GPU link in the instances that carry it, e.g.
                                        "NVLink 4 (NVSwitch)"; "" = none: GPUs talk over PCIe
                                        at host_bytes_per_s */
    double gpu_link_bytes_per_s;     /* that link, one direction, as measured, bytes/s */
    char gpu_link_source[CATALOG_TEXT_MAX]; /* where that rate was measured, or why assumed */
    double host_bytes_per_s;         /* host-to-device bandwidth of that link, one direction, bytes/s */
    char source[CATALOG_TEXT_MAX];   /* where the figures were read */
    char date[16];                   /* date that source states, YYYY-MM-DD (or YYYY-MM, YYYY) */
};

/* A large language model's architecture as its published configuration gives it: the
 * catalog's `llms:` list. What serving needs follows from it: the weights' bytes
 * (parameters x the bytes of the weights' type) and the KV cache's bytes per token
 * (2 for K and V x layers x kv_heads x head_dim x the bytes of the cache's type). */
struct llm_model {
    char name[SLSIM_NAME_MAX];       /* e.g. "llama-3-8b"; unique in the catalog */
    char summary[CATALOG_TEXT_MAX];  /* one line for `slsim catalog list` */
    double parameters;               /* weights, counted */
    uint32_t layers;                 /* transformer blocks */
    uint32_t hidden;                 /* model width */
    uint32_t kv_heads;               /* key-value heads (grouped-query attention: fewer than the query heads) */
    uint32_t head_dim;               /* width of one head */
    uint32_t context;                /* longest prompt plus output, tokens */
    char source[CATALOG_TEXT_MAX];   /* where the configuration was read */
    char date[16];                   /* date that source states */
};

struct instance_type {
    char name[SLSIM_NAME_MAX];     /* e.g. "g5.xlarge", "ml.m5.large" */
    char provider[SLSIM_NAME_MAX]; /* e.g. "aws-ec2", "aws-sagemaker": what discounts apply to */
    double vcpu;                     /* vCPUs */
    int64_t memory_bytes;            /* memory */
    uint32_t gpus;                   /* GPUs, 0 for CPU instances */
    char gpu_model[SLSIM_NAME_MAX];/* the accelerator's name in `accelerators:` ("A10G"), "" for none */
    struct price hourly;             /* on-demand price per hour */
    sim_time round_ns;               /* billed life is rounded up to a multiple (1 s, or 1 h) */
    sim_time minimum_ns;             /* and is at least this (EC2 Linux: 60 s) */
};

struct discount {
    char name[SLSIM_NAME_MAX];     /* e.g. "reserved-1y", "spot" */
    double off;                      /* fraction off the on-demand price, in [0, 1) */
    char applies_to[CATALOG_TEXT_MAX]; /* comma-separated providers or platform names; "" = all */
    char source[CATALOG_TEXT_MAX];
    char date[16];
};

struct catalog {
    char name[SLSIM_NAME_MAX];     /* from `catalog:` */
    char as_of[16];                  /* date the catalog was written, YYYY-MM-DD (required) */
    char path[4096];                 /* file it came from, or "(built-in default)" */
    struct platform_profile *platforms; /* owned */
    size_t n_platforms;
    struct instance_type *instances; /* owned */
    size_t n_instances;
    struct discount *discounts;      /* owned */
    size_t n_discounts;
    struct accelerator *accelerators;/* owned */
    size_t n_accelerators;
    struct llm_model *llms;          /* owned */
    size_t n_llms;
    int shared;                      /* 1: the built-in catalog, parsed once for the process
                                        and shared read-only (catalog_destroy leaves it) */
};

/* Load a catalog file. On failure returns -1, *out is NULL and err names file,
 * line, column and key (a negative price, a price without a source or date, a
 * catalog without `as_of`, an unknown key with a did-you-mean suggestion). */
int catalog_load_file(const char *path, struct catalog **out, struct slsim_error *err);

/* Parse catalog text; src_name is the name errors use for the file. */
int catalog_parse(const char *text, size_t len, const char *src_name, struct catalog **out,
                  struct slsim_error *err);

/* The catalog built into the program (scenarios/pricing/default.yaml at build time),
 * parsed once per process (thread-safe) and shared, read-only, by every scenario that
 * uses it: a sweep loads thousands of scenarios, and the parse was nearly all of a
 * load's time (1.7 ms). catalog_destroy of it does nothing. */
int catalog_load_default(struct catalog **out, struct slsim_error *err);

/* catalog_parse under the built-in catalog's stricter rule: every platform states
 * its cold start (`coldstart:` a profile, or `none` said on purpose). A user's
 * catalog may leave `coldstart:` out; its reports then name the profile "none". */
int catalog_parse_builtin(const char *text, size_t len, const char *src_name,
                          struct catalog **out, struct slsim_error *err);

void catalog_destroy(struct catalog *c);

/* Lookups; NULL when absent. */
const struct platform_profile *catalog_find_platform(const struct catalog *c, const char *name);
const struct instance_type *catalog_find_instance(const struct catalog *c, const char *name);
const struct discount *catalog_find_discount(const struct catalog *c, const char *name);
const struct accelerator *catalog_find_accelerator(const struct catalog *c, const char *name);
const struct llm_model *catalog_find_llm(const struct catalog *c, const char *name);

/* Comma-separated LLM names, for "known: ..." messages; truncated to n bytes. */
void catalog_llm_names(const struct catalog *c, char *buf, size_t n);

/* 1 when discount d may apply to provider or platform name (applies_to empty or
 * listing it). */
int catalog_discount_applies(const struct discount *d, const char *name);

/* Comma-separated names, for "known: ..." messages; truncated to n bytes. */
void catalog_platform_names(const struct catalog *c, char *buf, size_t n);
void catalog_instance_names(const struct catalog *c, char *buf, size_t n);
void catalog_discount_names(const struct catalog *c, char *buf, size_t n);
void catalog_accelerator_names(const struct catalog *c, char *buf, size_t n);

/* Memory settings of platform p (see struct platform_profile). */

/* 1 when bytes is one of p's memory settings. */
int catalog_memory_is_setting(const struct platform_profile *p, int64_t bytes);

/* The smallest setting at or above bytes, kept within [min, max]: a size above every
 * setting gives the largest. bytes itself when p has no limits. */
int64_t catalog_memory_round_up(const struct platform_profile *p, int64_t bytes);

/* The settings around bytes: *below the largest under it, *above the smallest over
 * it; 0 where there is none. For a setting both are bytes itself. */
void catalog_memory_nearest(const struct platform_profile *p, int64_t bytes, int64_t *below,
                            int64_t *above);

/* p's settings in words, in the provider's unit ("128 to 10240 MiB in steps of
 * 1 MiB", "512, 2048 or 4096 MiB", "up to 1536 MiB"); "" when p sets no limit. */
void catalog_memory_settings(const struct platform_profile *p, char *buf, size_t n);

/* 0 when bytes is a memory setting of p; else -1 and a one-line reason in why: the
 * size in the provider's unit, the settings, the nearest ones and, when the number
 * the user wrote (written, e.g. "2048MB"; may be NULL) is a setting in another unit,
 * "did you mean 2048MiB?". */
int catalog_check_memory(const struct platform_profile *p, int64_t bytes, const char *written,
                         char *why, size_t n);

/* Name of a billing mode as written in catalogs ("request", "busy", "instance"). */
const char *catalog_billing_name(enum billing_mode m);

/* One line on how platform p bills kept-warm capacity, for `slsim catalog show`
 * and error messages: "allocation (provisioned_gb_s) plus execution at
 * provisioned_exec_gb_s", ..., or "not priced" for PROVISIONED_NONE. */
const char *catalog_provisioned_rule_name(enum provisioned_rule r);

/* The rule's one-word name, as JSON writes it: "unpriced", "none", "allocation",
 * "idle-rate", "instance". */
const char *catalog_provisioned_rule_word(enum provisioned_rule r);

/* 0 when a deployment on p may keep instances warm (`provisioned:`); else -1 with
 * a reason in why[0..n) that names the platform and the missing price. */
int catalog_check_provisioned(const struct platform_profile *p, char *why, size_t n);

#endif
