# sources of ui/tray: desktop notifications (org.freedesktop.Notifications, tray balloons) and
# the system tray icon and menu
target_sources(servewatch_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/traylogging.cpp ${CMAKE_CURRENT_LIST_DIR}/traylogging.h
    ${CMAKE_CURRENT_LIST_DIR}/notification.h
    ${CMAKE_CURRENT_LIST_DIR}/notificationtext.cpp ${CMAKE_CURRENT_LIST_DIR}/notificationtext.h
    ${CMAKE_CURRENT_LIST_DIR}/desktopnotifier.cpp ${CMAKE_CURRENT_LIST_DIR}/desktopnotifier.h
    ${CMAKE_CURRENT_LIST_DIR}/notificationcenter.cpp ${CMAKE_CURRENT_LIST_DIR}/notificationcenter.h
    ${CMAKE_CURRENT_LIST_DIR}/trayicon.cpp ${CMAKE_CURRENT_LIST_DIR}/trayicon.h
    ${CMAKE_CURRENT_LIST_DIR}/traycontroller.cpp ${CMAKE_CURRENT_LIST_DIR}/traycontroller.h
)
