// The two libsystemd calls libdbus-1.a makes, for a static link where
// libsystemd exists only as a shared library. D-Bus asks them whether systemd
// handed the process listening sockets (socket activation), which never
// happens to trustcap: none were passed, so none is a socket.

extern "C" int sd_listen_fds(int /*unset_environment*/) { return 0; }

extern "C" int sd_is_socket(int /*fd*/, int /*family*/, int /*type*/, int /*listening*/) { return 0; }
