# TRUSTCAP_STATIC: every program links fully static (-static), each library
# found as its .a. Debian 12's .a files: libpcap-dev, libssl-dev, zlib1g-dev,
# libzstd-dev, libdbus-1-dev (libpcap.a captures D-Bus and so needs
# libdbus-1.a), libabsl-dev, libc6-dev, libstdc++-12-dev.
if(TRUSTCAP_SANITIZE OR TRUSTCAP_FUZZ)
  message(FATAL_ERROR "TRUSTCAP_STATIC cannot be combined with TRUSTCAP_SANITIZE or TRUSTCAP_FUZZ")
endif()
set(CMAKE_FIND_LIBRARY_SUFFIXES .a)
set(OPENSSL_USE_STATIC_LIBS TRUE)
add_link_options(-static)

# What `pkg-config --static libpcap` adds to -lpcap, except libsystemd: Debian
# ships it shared only, and libdbus-1.a calls it only to take over listening
# sockets from systemd, which tools/packaging/no_socket_activation.cpp answers.
function(add_static_libpcap_dependencies)
  set(dependencies ${PCAP_STATIC_LIBRARIES})
  list(REMOVE_ITEM dependencies pcap systemd)
  foreach(name IN LISTS dependencies)
    find_library(static_${name} NAMES ${name} REQUIRED)
    set_property(TARGET PkgConfig::PCAP APPEND PROPERTY INTERFACE_LINK_LIBRARIES ${static_${name}})
  endforeach()
  if("systemd" IN_LIST PCAP_STATIC_LIBRARIES)
    add_library(trustcap_no_socket_activation STATIC ${PROJECT_SOURCE_DIR}/tools/packaging/no_socket_activation.cpp)
    set_property(TARGET PkgConfig::PCAP APPEND PROPERTY INTERFACE_LINK_LIBRARIES trustcap_no_socket_activation)
  endif()
endfunction()

# Abseil's CMake package names its shared libraries; each has its .a beside it.
function(use_static_abseil)
  get_directory_property(imported IMPORTED_TARGETS)
  foreach(target IN LISTS imported)
    if(NOT target MATCHES "^absl::")
      continue()
    endif()
    get_target_property(type ${target} TYPE)
    if(NOT type STREQUAL "SHARED_LIBRARY")
      continue()
    endif()
    get_target_property(configurations ${target} IMPORTED_CONFIGURATIONS)
    foreach(configuration IN LISTS configurations)
      get_target_property(shared ${target} IMPORTED_LOCATION_${configuration})
      string(REGEX REPLACE "\\.so[.0-9]*$" ".a" archive "${shared}")
      if(NOT EXISTS "${archive}")
        message(FATAL_ERROR "no static library for ${target}: ${archive}")
      endif()
      set_target_properties(${target} PROPERTIES IMPORTED_LOCATION_${configuration} "${archive}"
                                                 IMPORTED_SONAME_${configuration} "")
    endforeach()
  endforeach()
endfunction()
