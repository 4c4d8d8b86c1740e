# Installation to the standard paths (cmake --install build [--prefix /usr]) and a Debian package
# through CPack (cd build && cpack -G DEB). Included last from the top-level CMakeLists.txt.
#
#   bin/servewatch                                     (app/CMakeLists.txt: install(TARGETS))
#   share/applications/io.github.servewatch.ServeWatch.desktop
#   share/metainfo/io.github.servewatch.ServeWatch.metainfo.xml
#   share/icons/hicolor/scalable/apps/io.github.servewatch.ServeWatch.svg
#   lib/systemd/system/servewatch.service              (headless agent, system service)
#   lib/systemd/user/servewatch.service                (headless agent, user service)
#   share/doc/servewatch/                              (README, docs, example config)
#
# The systemd units' ExecStart (and Documentation) are rewritten for the prefix installed to:
# with --prefix /usr (and in the package) the units run /usr/bin/servewatch.
include(GNUInstallDirs)

set(SW_APP_ID io.github.servewatch.ServeWatch)
set(SW_DOCDIR ${CMAKE_INSTALL_DATAROOTDIR}/doc/servewatch)

install(FILES ${PROJECT_SOURCE_DIR}/resources/desktop/${SW_APP_ID}.desktop
    DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/applications)
install(FILES ${PROJECT_SOURCE_DIR}/resources/metainfo/${SW_APP_ID}.metainfo.xml
    DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/metainfo)
install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/servewatch.svg
    DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/icons/hicolor/scalable/apps
    RENAME ${SW_APP_ID}.svg)

# systemd units, rewritten at install time for the prefix actually installed to (cmake --install
# --prefix, or /usr in the package): ExecStart runs <prefix>/bin/servewatch and Documentation
# points at <prefix>/share/doc/servewatch.
install(CODE "set(SW_UNIT_SOURCES \"${PROJECT_SOURCE_DIR}/resources/systemd\")
set(SW_UNIT_STAGING \"${PROJECT_BINARY_DIR}/systemd\")
set(SW_UNIT_BINDIR \"${CMAKE_INSTALL_BINDIR}\")
set(SW_UNIT_DOCDIR \"${SW_DOCDIR}\")")
install(CODE [==[
if(IS_ABSOLUTE "${SW_UNIT_BINDIR}")
    set(_sw_binary "${SW_UNIT_BINDIR}/servewatch")
else()
    set(_sw_binary "${CMAKE_INSTALL_PREFIX}/${SW_UNIT_BINDIR}/servewatch")
endif()
foreach(_sw_pair "servewatch|system" "servewatch-user|user")
    string(REPLACE "|" ";" _sw_pair "${_sw_pair}")
    list(GET _sw_pair 0 _sw_unit)
    list(GET _sw_pair 1 _sw_kind)
    file(READ "${SW_UNIT_SOURCES}/${_sw_unit}.service" _sw_text)
    string(REPLACE "ExecStart=/usr/local/bin/servewatch " "ExecStart=${_sw_binary} "
        _sw_text "${_sw_text}")
    string(REPLACE "ExecStart=%h/.local/bin/servewatch " "ExecStart=${_sw_binary} "
        _sw_text "${_sw_text}")
    string(REPLACE "file:///usr/share/doc/servewatch/"
        "file://${CMAKE_INSTALL_PREFIX}/${SW_UNIT_DOCDIR}/" _sw_text "${_sw_text}")
    file(MAKE_DIRECTORY "${SW_UNIT_STAGING}/${_sw_kind}")
    file(WRITE "${SW_UNIT_STAGING}/${_sw_kind}/servewatch.service" "${_sw_text}")
    file(INSTALL DESTINATION "${CMAKE_INSTALL_PREFIX}/lib/systemd/${_sw_kind}" TYPE FILE
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
        FILES "${SW_UNIT_STAGING}/${_sw_kind}/servewatch.service")
endforeach()
]==])

install(FILES ${PROJECT_SOURCE_DIR}/README.md
    DESTINATION ${SW_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/
    DESTINATION ${SW_DOCDIR}/docs
    FILES_MATCHING PATTERN "*.md" PATTERN "*.json" PATTERN "*.png" PATTERN "*.yml")

# --- Debian package -------------------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME servewatch)
set(CPACK_PACKAGE_VENDOR "The ServeWatch developers")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Watches model-serving endpoints and explains their failures")
set(CPACK_PACKAGE_DESCRIPTION
    "ServeWatch probes machine-learning model-serving endpoints (POST /predict, KServe, Triton,
vLLM, TorchServe, ...) on a schedule and, the moment one breaks, tells what broke, why it most
likely broke and what to do about it: the failure class and phase, per-phase timings, the
evidence, ranked causes with the commands that check them, and fixes. A Qt desktop dashboard
with tray and desktop notifications, and a headless agent with webhook alerts.")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://github.com/servewatch/servewatch")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "ServeWatch developers <servewatch@users.noreply.github.com>")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Libraries the binary links come from dpkg-shlibdeps; plugins Qt loads at run time do not:
# the SQLite driver (history), the SVG image and icon engines (icons), and libsecret, which
# QtKeychain opens at run time for the Secret Service.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite, libqt6svg6, libsecret-1-0")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-wayland, gnome-keyring")
set(CPACK_DEBIAN_COMPRESSION_TYPE gzip)
include(CPack)
