/* trace_formats.c - the trace formats, one row each: name, reader, how a header
 * tells it, what its files start with, and what it is and takes (TRACE_FORMAT_*).
 *
 * This table is the one place that knows the formats. Scenarios, `slsim trace`
 * and the messages that list formats read it, so a new format is its reader
 * (sim/workload/trace_NAME.c with its trace_format_ops), its enum trace_format
 * constant, and one row here, in the enum's order. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "trace_counting.h"

static const char *const azure2019_header[] = {"HashOwner", "HashApp", "HashFunction", "Trigger",
                                               NULL};
static const char *const azure2021_header[] = {"app", "func", "end_timestamp", "duration", NULL};
static const char *const llm_header[] = {"TIMESTAMP", "ContextTokens", "GeneratedTokens", NULL};

/* One row per enum trace_format value, at its index. */
static const struct trace_format_row formats[] = {
    [TRACE_AZURE2019] =
        {
            .name = "azure2019",
            .ops = &trace_azure2019_ops,
            .detect = azure2019_header,
            .detect_text = "HashOwner,HashApp,HashFunction,Trigger,1,2,...",
            .expect = {"a header HashOwner,HashApp,HashFunction,Trigger,1,...,1440"},
            .side_expect = {"a header HashOwner,HashApp,HashFunction,Average,Count,...",
                            "a header HashOwner,HashApp,SampleCount,AverageAllocatedMb,..."},
        },
    [TRACE_AZURE2021] =
        {
            .name = "azure2021",
            .ops = &trace_azure2021_ops,
            .detect = azure2021_header,
            .detect_text = "app,func,end_timestamp,duration",
            .expect = {"a header app,func,end_timestamp,duration"},
        },
    [TRACE_AZURE_LLM] =
        {
            .name = "azure-llm",
            .ops = &trace_llm_ops,
            .detect = llm_header,
            .detect_text = "TIMESTAMP,ContextTokens,GeneratedTokens",
            .expect = {"a header TIMESTAMP,ContextTokens,GeneratedTokens"},
            .props = TRACE_FORMAT_TOKENS,
        },
    [TRACE_CSV] =
        {
            .name = "csv",
            .ops = &trace_csv_ops,
            .expect = {"a header naming the columns, then one row per request",
                       "one row per request"},
            .props = TRACE_FORMAT_COLUMNS,
        },
    [TRACE_COUNTS] =
        {
            .name = "counts",
            .ops = &trace_counts_ops,
            .expect = {"a header line and rows time,count", "rows time,count"},
        },
    [TRACE_COUNTS_WIDE] =
        {
            .name = "counts-wide",
            .ops = &trace_counts_wide_ops,
            .expect = {"a header time,FUNCTION,... and rows of counts",
                       "a header time,FUNCTION,... and rows of counts"},
        },
};

#define N_FORMATS (sizeof formats / sizeof *formats)

const struct trace_format_row *trace_format_row(enum trace_format f)
{
    return (size_t)f < N_FORMATS ? &formats[f] : &formats[TRACE_CSV];
}

const char *trace_format_name(enum trace_format f)
{
    return (size_t)f < N_FORMATS ? formats[f].name : "?";
}

int trace_format_parse(const char *name, enum trace_format *out)
{
    for (size_t i = 0; i < N_FORMATS; i++)
        if (strcmp(name, formats[i].name) == 0) {
            *out = (enum trace_format)i;
            return 0;
        }
    return -1;
}

static const char *format_names[N_FORMATS + 1];

static void fill_format_names(void)
{
    for (size_t i = 0; i < N_FORMATS; i++)
        format_names[i] = formats[i].name;
}

const char *const *trace_format_names(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, fill_format_names);
    return format_names;
}

static unsigned row_props(const struct trace_format_row *row)
{
    return row->props | (row->ops->each ? TRACE_FORMAT_COUNTS : 0) |
           (row->ops->sort_key ? TRACE_FORMAT_SORTABLE : 0) |
           (row->side_expect[0] ? TRACE_FORMAT_SIDE_FILES : 0);
}

unsigned trace_format_props(enum trace_format f)
{
    return (size_t)f < N_FORMATS ? row_props(&formats[f]) : 0;
}

/* The formats with every bit of props that are (detectable 1) or are not
 * (detectable 0) told by their header, or all of them (detectable -1), as
 * trace_format_list joins them. */
static char *join_formats(unsigned props, int detectable, const char *prefix, const char *last,
                          char *buf, size_t n)
{
    size_t keep[N_FORMATS], k = 0, len = 0;
    for (size_t i = 0; i < N_FORMATS; i++)
        if ((row_props(&formats[i]) & props) == props &&
            (detectable < 0 || (formats[i].detect != NULL) == detectable))
            keep[k++] = i;
    buf[0] = '\0';
    for (size_t j = 0; j < k && len < n; j++)
        len += (size_t)snprintf(buf + len, n - len, "%s%s%s",
                                j == 0 ? "" : j + 1 == k ? last : ", ", prefix,
                                formats[keep[j]].name);
    return buf;
}

char *trace_format_list(unsigned props, const char *prefix, const char *last, char *buf,
                        size_t n)
{
    return join_formats(props, -1, prefix, last, buf, n);
}

/* A header line's fields, matched by name in any order. */
static int header_has(const char *line, const char *const *names)
{
    for (; *names; names++) {
        size_t n = strlen(*names);
        const char *p = line;
        int found = 0;
        while (*p && !found) {
            const char *end = p + strcspn(p, ",\r\n");
            found = (size_t)(end - p) == n && memcmp(p, *names, n) == 0;
            p = *end == ',' ? end + 1 : end + strlen(end);
        }
        if (!found)
            return 0;
    }
    return 1;
}

/* What a header may be, for the message on an empty file whose format is to be
 * read from it: "a header (azure2019, azure2021 and azure-llm have their own)". */
char *trace_detect_expect(char *buf, size_t n)
{
    char names[200];
    snprintf(buf, n, "a header (%s have their own)",
             join_formats(0, 1, "", " and ", names, sizeof names));
    return buf;
}

/* The format whose detect names line holds, or -1 with a message in why[0..n)
 * saying what each detectable format's header holds and how to name the others. */
int trace_detect_header(const char *line, enum trace_format *out, char *why, size_t n)
{
    size_t len = 0;
    for (size_t i = 0; i < N_FORMATS; i++) {
        if (!formats[i].detect)
            continue;
        if (header_has(line, formats[i].detect)) {
            *out = (enum trace_format)i;
            return 0;
        }
        if (len < n)
            len += (size_t)snprintf(why + len, n - len, "%s%s %s%s", len ? "; " : "",
                                    formats[i].name, len ? "" : "has ", formats[i].detect_text);
    }
    char names[200], as[300];
    if (len < n)
        snprintf(why + len, n - len, "; for %s say %s",
                 join_formats(0, 0, "", " or ", names, sizeof names),
                 join_formats(0, 0, "--as ", " or ", as, sizeof as));
    return -1;
}

int trace_counts_each(const struct trace_spec *spec, trace_count_visit visit, void *ctx,
                      uint64_t *skipped, struct slsim_error *err)
{
    const struct trace_format_row *row = trace_format_row(spec->format);
    if (!row->ops->each)
        return slsim_error_set(err, spec->path, 0, 0, NULL,
                               "a %s trace has no counts to sum: it is one row per request",
                               row->name);
    return row->ops->each(spec, visit, ctx, skipped, err);
}
