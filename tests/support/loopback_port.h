// loopback_port.h -- a TCP port on 127.0.0.1 that nobody listens on, for
// tests: a client connecting to it is refused at once (ECONNREFUSED), and a
// server a test starts may bind it.
//
// The port is bound, read back and closed, so the kernel chose a free one;
// another process may take it before the test uses it (no port is ever
// reserved), which is unlikely enough on a test machine. Test helper: returns
// 0 when no socket could be made.
#pragma once

namespace halo::test {

int unused_loopback_port();

// True when something accepts a TCP connection on 127.0.0.1:port (a server
// a test started is listening); the connection is closed at once.
bool loopback_port_accepts(int port);

}  // namespace halo::test
