# `cpack -G DEB` in the build tree makes a Debian package of what
# `cmake --install` installs, its dependencies computed by dpkg-shlibdeps
# (package dpkg-dev) from the libraries the binary links.
set(CPACK_PACKAGE_NAME trustcap)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
# Debian's synopsis: under 80 characters.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "why a Cisco device could not reach the Smart Licensing cloud")
set(CPACK_PACKAGE_CONTACT "The trustcap authors")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Server chains other than Cisco's licensing servers are verified against the system's bundle.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS ca-certificates)
# Lines under 80 characters, as Debian's extended description wants them.
string(CONCAT CPACK_PACKAGE_DESCRIPTION
       "trustcap reads a packet capture (pcap or pcapng) of Cisco Smart Licensing\n"
       "traffic, or captures on an interface, and tells for every connection to\n"
       "the licensing server whether the TCP handshake, the TLS handshake, the\n"
       "request and its answer, and the teardown went through; if not, why, with\n"
       "the frames that show it and the IOS XE commands that fix it.")
set(CPACK_GENERATOR DEB)
include(CPack)
