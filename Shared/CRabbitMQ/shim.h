#ifndef PLANMONITOR_CRABBITMQ_SHIM_H
#define PLANMONITOR_CRABBITMQ_SHIM_H

/* rabbitmq-c 0.11 installs flat headers; 0.12 and later install them under rabbitmq-c/. */
#if __has_include(<rabbitmq-c/amqp.h>)
#include <rabbitmq-c/amqp.h>
#include <rabbitmq-c/framing.h>
#include <rabbitmq-c/tcp_socket.h>
#else
#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>
#endif

#include <stdint.h>
#include <sys/time.h>

/* amqp_login is variadic and cannot be called from Swift: PLAIN login with a username and password. */
static inline amqp_rpc_reply_t cshim_amqp_login_plain(amqp_connection_state_t state,
                                                      const char *vhost,
                                                      int channel_max,
                                                      int frame_max,
                                                      int heartbeat,
                                                      const char *username,
                                                      const char *password) {
    return amqp_login(state, vhost, channel_max, frame_max, heartbeat,
                      AMQP_SASL_METHOD_PLAIN, username, password);
}

/* The same, announcing client properties (connection name, capabilities) to the broker. */
static inline amqp_rpc_reply_t cshim_amqp_login_plain_with_properties(amqp_connection_state_t state,
                                                                      const char *vhost,
                                                                      int channel_max,
                                                                      int frame_max,
                                                                      int heartbeat,
                                                                      const amqp_table_t *properties,
                                                                      const char *username,
                                                                      const char *password) {
    return amqp_login_with_properties(state, vhost, channel_max, frame_max, heartbeat, properties,
                                      AMQP_SASL_METHOD_PLAIN, username, password);
}

/* Waits for the next frame for at most `timeout_usec` microseconds (0: only what is already buffered or readable). */
static inline int cshim_wait_frame(amqp_connection_state_t state, amqp_frame_t *frame, long timeout_usec) {
    struct timeval tv;
    tv.tv_sec = timeout_usec / 1000000;
    tv.tv_usec = timeout_usec % 1000000;
    return amqp_simple_wait_frame_noblock(state, frame, &tv);
}

/* Sets the timeout of synchronous RPCs (declare, bind, qos...) in microseconds. */
static inline int cshim_set_rpc_timeout(amqp_connection_state_t state, long timeout_usec) {
    struct timeval tv;
    tv.tv_sec = timeout_usec / 1000000;
    tv.tv_usec = timeout_usec % 1000000;
    return amqp_set_rpc_timeout(state, &tv);
}

/* Opens the TCP socket with a connect timeout in microseconds. */
static inline int cshim_socket_open(amqp_socket_t *socket, const char *host, int port, long timeout_usec) {
    struct timeval tv;
    tv.tv_sec = timeout_usec / 1000000;
    tv.tv_usec = timeout_usec % 1000000;
    return amqp_socket_open_noblock(socket, host, port, &tv);
}

#endif
