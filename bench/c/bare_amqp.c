/*
 * bare_amqp — the bare rabbitmq-c baseline for bench/: the same workload as the Swift AMQPClient benchmark,
 * written directly against librabbitmq 0.11, with nothing between the program and the library.
 *
 *   publish   N persistent messages of SIZE bytes to a durable classic queue through the default exchange,
 *             mandatory, each with a 36-character message_id (the Swift layer adds one to every mandatory
 *             message, so both put the same bytes on the wire), on a confirm channel, keeping at most WINDOW
 *             publishes unconfirmed (WINDOW 1: await every confirm);
 *   consume   N messages with basic.qos PREFETCH, acknowledging with one `multiple` ack every ACK_EVERY
 *             deliveries (and the rest at the end);
 *   declare / delete   the queue (durable, not exclusive, not auto-delete).
 *
 * Publishing and consuming use separate connections, as in the Swift layer. Every timed action prints
 *   RESULT label=<label> count=<n> seconds=<s> rate=<msg/s> cpu_us=<client CPU µs per message>
 *          broker_cpu=<broker CPU, % of one core> sys_busy=<whole machine busy, %>
 * which bench/run collects. Build: gcc -O2 -o bare_amqp bare_amqp.c -lrabbitmq
 */
#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static const char *host = "127.0.0.1";
static int port = 5673;
static const char *vhost = "planmonitor";
static const char *user = "planmonitor-admin";
static const char *password = "planmonitor-admin-dev";
static const char *queue = NULL;
static const char *label = "c";
static long count = 100000;
static long size = 200;
static long window = 1000;
static int prefetch = 500;
static long ack_every = 250;
static int broker_pid = 0;

__attribute__((noreturn, format(printf, 1, 2))) static void die(const char *fmt, ...) {
    va_list args;
    va_start(args, fmt);
    fprintf(stderr, "bare_amqp: ");
    vfprintf(stderr, fmt, args);
    fprintf(stderr, "\n");
    va_end(args);
    exit(1);
}

static void check_reply(amqp_rpc_reply_t reply, const char *what) {
    switch (reply.reply_type) {
    case AMQP_RESPONSE_NORMAL:
        return;
    case AMQP_RESPONSE_LIBRARY_EXCEPTION:
        die("%s: %s", what, amqp_error_string2(reply.library_error));
    case AMQP_RESPONSE_SERVER_EXCEPTION:
        if (reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
            amqp_channel_close_t *close = reply.reply.decoded;
            die("%s: channel closed: %d %.*s", what, close->reply_code, (int)close->reply_text.len,
                (char *)close->reply_text.bytes);
        }
        if (reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
            amqp_connection_close_t *close = reply.reply.decoded;
            die("%s: connection closed: %d %.*s", what, close->reply_code, (int)close->reply_text.len,
                (char *)close->reply_text.bytes);
        }
        die("%s: server exception, method %08x", what, reply.reply.id);
    default:
        die("%s: no reply", what);
    }
}

static amqp_connection_state_t open_connection(const char *name) {
    amqp_connection_state_t state = amqp_new_connection();
    amqp_socket_t *socket = amqp_tcp_socket_new(state);
    if (!socket) die("cannot create a socket");
    int status = amqp_socket_open(socket, host, port);
    if (status != AMQP_STATUS_OK) die("cannot reach %s:%d: %s", host, port, amqp_error_string2(status));
    amqp_table_entry_t entries[1];
    entries[0].key = amqp_cstring_bytes("connection_name");
    entries[0].value.kind = AMQP_FIELD_KIND_UTF8;
    entries[0].value.value.bytes = amqp_cstring_bytes(name);
    amqp_table_t properties = {.num_entries = 1, .entries = entries};
    check_reply(amqp_login_with_properties(state, vhost, 0, 131072, 10, &properties, AMQP_SASL_METHOD_PLAIN,
                                           user, password),
                "login");
    amqp_channel_open(state, 1);
    check_reply(amqp_get_rpc_reply(state), "channel.open");
    return state;
}

static void close_connection(amqp_connection_state_t state) {
    amqp_channel_close(state, 1, AMQP_REPLY_SUCCESS);
    amqp_connection_close(state, AMQP_REPLY_SUCCESS);
    amqp_destroy_connection(state);
}

/* --- Measuring ------------------------------------------------------------------------------------------ */

struct sample {
    double wall;
    double cpu;
    double broker_cpu;
    unsigned long long sys_busy, sys_total;
};

static double monotonic_seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static double process_cpu_seconds(void) {
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return (double)usage.ru_utime.tv_sec + (double)usage.ru_utime.tv_usec / 1e6 + (double)usage.ru_stime.tv_sec +
           (double)usage.ru_stime.tv_usec / 1e6;
}

/* utime + stime of another process, in seconds (0 when unknown). */
static double other_process_cpu_seconds(int pid) {
    if (pid <= 0) return 0;
    char path[64], buffer[4096];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *file = fopen(path, "r");
    if (!file) return 0;
    size_t length = fread(buffer, 1, sizeof buffer - 1, file);
    fclose(file);
    buffer[length] = 0;
    char *p = strrchr(buffer, ')');
    if (!p) return 0;
    unsigned long utime = 0, stime = 0;
    /* After ") ": state(3) ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime(14) stime(15) */
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2) return 0;
    return (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
}

/* Busy and total jiffies of the whole machine (first line of /proc/stat). */
static void system_jiffies(unsigned long long *busy, unsigned long long *total) {
    unsigned long long v[10] = {0};
    *busy = *total = 0;
    FILE *file = fopen("/proc/stat", "r");
    if (!file) return;
    int n = fscanf(file, "cpu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4],
                   &v[5], &v[6], &v[7], &v[8], &v[9]);
    fclose(file);
    if (n < 8) return;
    for (int i = 0; i < 8; i++) *total += v[i];
    *busy = *total - v[3] - v[4]; /* minus idle and iowait */
}

static struct sample take_sample(void) {
    struct sample sample;
    sample.wall = monotonic_seconds();
    sample.cpu = process_cpu_seconds();
    sample.broker_cpu = other_process_cpu_seconds(broker_pid);
    system_jiffies(&sample.sys_busy, &sample.sys_total);
    return sample;
}

static void report(const char *action, long n, struct sample start, struct sample end) {
    double seconds = end.wall - start.wall;
    double busy = end.sys_total > start.sys_total
                      ? 100.0 * (double)(end.sys_busy - start.sys_busy) / (double)(end.sys_total - start.sys_total)
                      : 0;
    double broker = broker_pid > 0 ? 100.0 * (end.broker_cpu - start.broker_cpu) / seconds : -1;
    printf("RESULT label=%s.%s count=%ld seconds=%.3f rate=%.0f cpu_us=%.2f broker_cpu=%.0f sys_busy=%.0f\n", label,
           action, n, seconds, (double)n / seconds, 1e6 * (end.cpu - start.cpu) / (double)n, broker, busy);
    fflush(stdout);
}

/* --- Actions -------------------------------------------------------------------------------------------- */

static void declare_queue(void) {
    amqp_connection_state_t state = open_connection("bench-c-declare");
    amqp_queue_declare(state, 1, amqp_cstring_bytes(queue), 0, 1, 0, 0, amqp_empty_table);
    check_reply(amqp_get_rpc_reply(state), "queue.declare");
    close_connection(state);
}

static void delete_queue(void) {
    amqp_connection_state_t state = open_connection("bench-c-delete");
    amqp_queue_delete(state, 1, amqp_cstring_bytes(queue), 0, 0);
    check_reply(amqp_get_rpc_reply(state), "queue.delete");
    close_connection(state);
}

static void publish(void) {
    amqp_connection_state_t state = open_connection("bench-c-publisher");
    amqp_confirm_select(state, 1);
    check_reply(amqp_get_rpc_reply(state), "confirm.select");

    char *body = malloc((size_t)size);
    for (long i = 0; i < size; i++) body[i] = (char)('a' + i % 26);
    amqp_bytes_t body_bytes = {.len = (size_t)size, .bytes = body};
    amqp_bytes_t exchange = amqp_cstring_bytes("");
    amqp_bytes_t routing_key = amqp_cstring_bytes(queue);
    char message_id[40];
    amqp_basic_properties_t properties;
    memset(&properties, 0, sizeof properties);
    properties._flags = AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_MESSAGE_ID_FLAG;
    properties.delivery_mode = AMQP_DELIVERY_PERSISTENT;

    /* settled[i] for delivery tag i + 1; `confirmed` counts settled tags, `low` is the lowest unsettled one. */
    unsigned char *settled = calloc((size_t)count + 2, 1);
    long sent = 0, confirmed = 0, low = 1, nacked = 0, returned = 0;
    struct timeval immediate = {0, 0};
    struct timeval patience = {30, 0};

    struct sample start = take_sample();
    while (confirmed < count) {
        while (sent < count && sent - confirmed < window) {
            sent++;
            /* A UUID-shaped id from the sequence number: 36 characters, as the Swift layer's UUIDs. */
            snprintf(message_id, sizeof message_id, "00000000-0000-4000-8000-%012ld", sent % 1000000000000L);
            properties.message_id = amqp_cstring_bytes(message_id);
            int status = amqp_basic_publish(state, 1, exchange, routing_key, 1, 0, &properties, body_bytes);
            if (status != AMQP_STATUS_OK) die("basic.publish: %s", amqp_error_string2(status));
        }
        /* Block for the next frame, then take whatever else is already there. */
        struct timeval *timeout = &patience;
        for (;;) {
            amqp_frame_t frame;
            amqp_maybe_release_buffers(state);
            int status = amqp_simple_wait_frame_noblock(state, &frame, timeout);
            if (status == AMQP_STATUS_TIMEOUT) {
                if (timeout == &patience) die("no confirm within 30 s (%ld of %ld confirmed)", confirmed, count);
                break;
            }
            if (status != AMQP_STATUS_OK) die("waiting for confirms: %s", amqp_error_string2(status));
            timeout = &immediate;
            if (frame.frame_type != AMQP_FRAME_METHOD) continue;
            uint64_t tag;
            int multiple;
            switch (frame.payload.method.id) {
            case AMQP_BASIC_ACK_METHOD: {
                amqp_basic_ack_t *ack = frame.payload.method.decoded;
                tag = ack->delivery_tag;
                multiple = ack->multiple;
                break;
            }
            case AMQP_BASIC_NACK_METHOD: {
                amqp_basic_nack_t *nack = frame.payload.method.decoded;
                tag = nack->delivery_tag;
                multiple = nack->multiple;
                nacked++;
                break;
            }
            case AMQP_BASIC_RETURN_METHOD: {
                amqp_message_t message;
                check_reply(amqp_read_message(state, frame.channel, &message, 0), "reading a returned message");
                amqp_destroy_message(&message);
                returned++;
                continue;
            }
            case AMQP_CHANNEL_CLOSE_METHOD:
            case AMQP_CONNECTION_CLOSE_METHOD:
                die("the broker closed the channel or connection while publishing");
            default:
                continue;
            }
            if (multiple) {
                for (; low <= (long)tag; low++) {
                    if (!settled[low]) {
                        settled[low] = 1;
                        confirmed++;
                    }
                }
            } else if ((long)tag <= count && !settled[tag]) {
                settled[tag] = 1;
                confirmed++;
                while (low <= count && settled[low]) low++;
            }
        }
    }
    struct sample end = take_sample();
    if (nacked || returned) die("%ld nacked, %ld returned", nacked, returned);
    char action[32];
    snprintf(action, sizeof action, "publish.w%ld", window);
    report(action, count, start, end);
    free(settled);
    free(body);
    close_connection(state);
}

static void consume(void) {
    amqp_connection_state_t state = open_connection("bench-c-consumer");
    amqp_basic_qos(state, 1, 0, (uint16_t)prefetch, 0);
    check_reply(amqp_get_rpc_reply(state), "basic.qos");
    struct timeval patience = {30, 0};
    long received = 0, bytes = 0;
    uint64_t last_tag = 0, acked_tag = 0;

    struct sample start = take_sample();
    amqp_basic_consume(state, 1, amqp_cstring_bytes(queue), amqp_empty_bytes, 0, 0, 0, amqp_empty_table);
    check_reply(amqp_get_rpc_reply(state), "basic.consume");
    while (received < count) {
        amqp_envelope_t envelope;
        amqp_maybe_release_buffers(state);
        amqp_rpc_reply_t reply = amqp_consume_message(state, &envelope, &patience, 0);
        if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && reply.library_error == AMQP_STATUS_TIMEOUT)
            die("no delivery within 30 s (%ld of %ld received)", received, count);
        check_reply(reply, "consuming");
        received++;
        bytes += (long)envelope.message.body.len;
        last_tag = envelope.delivery_tag;
        amqp_destroy_envelope(&envelope);
        if (received % ack_every == 0) {
            int status = amqp_basic_ack(state, 1, last_tag, 1);
            if (status != AMQP_STATUS_OK) die("basic.ack: %s", amqp_error_string2(status));
            acked_tag = last_tag;
        }
    }
    if (acked_tag != last_tag) {
        int status = amqp_basic_ack(state, 1, last_tag, 1);
        if (status != AMQP_STATUS_OK) die("basic.ack: %s", amqp_error_string2(status));
    }
    struct sample end = take_sample();
    if (bytes != received * size) fprintf(stderr, "bare_amqp: note: %ld body bytes for %ld messages\n", bytes, received);
    char action[48];
    snprintf(action, sizeof action, "consume.p%d", prefetch);
    report(action, count, start, end);
    close_connection(state);
}

static void usage(void) {
    fprintf(stderr,
            "usage: bare_amqp --queue NAME [--count N] [--size BYTES] [--window W] [--prefetch P] [--ack-every K]\n"
            "                 [--host H] [--port P] [--vhost V] [--user U] [--password PW] [--label L]\n"
            "                 [--broker-pid PID] ACTION...   (ACTION: declare publish consume delete)\n");
    exit(2);
}

int main(int argc, char **argv) {
    int first_action = argc;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (strncmp(arg, "--", 2) != 0) {
            first_action = i;
            break;
        }
        if (!value) usage();
        if (!strcmp(arg, "--host")) host = value;
        else if (!strcmp(arg, "--port")) port = atoi(value);
        else if (!strcmp(arg, "--vhost")) vhost = value;
        else if (!strcmp(arg, "--user")) user = value;
        else if (!strcmp(arg, "--password")) password = value;
        else if (!strcmp(arg, "--queue")) queue = value;
        else if (!strcmp(arg, "--label")) label = value;
        else if (!strcmp(arg, "--count")) count = atol(value);
        else if (!strcmp(arg, "--size")) size = atol(value);
        else if (!strcmp(arg, "--window")) window = atol(value);
        else if (!strcmp(arg, "--prefetch")) prefetch = atoi(value);
        else if (!strcmp(arg, "--ack-every")) ack_every = atol(value);
        else if (!strcmp(arg, "--broker-pid")) broker_pid = atoi(value);
        else usage();
        i++;
    }
    if (!queue || first_action >= argc || count <= 0 || size <= 0 || window <= 0 || prefetch <= 0 || ack_every <= 0)
        usage();
    for (int i = first_action; i < argc; i++) {
        if (!strcmp(argv[i], "declare")) declare_queue();
        else if (!strcmp(argv[i], "publish")) publish();
        else if (!strcmp(argv[i], "consume")) consume();
        else if (!strcmp(argv[i], "delete")) delete_queue();
        else usage();
    }
    return 0;
}
