# sources of core/alerts
target_sources(servewatch_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/alertevent.cpp ${CMAKE_CURRENT_LIST_DIR}/alertevent.h
    ${CMAKE_CURRENT_LIST_DIR}/alertformat.cpp ${CMAKE_CURRENT_LIST_DIR}/alertformat.h
    ${CMAKE_CURRENT_LIST_DIR}/notificationchannel.cpp ${CMAKE_CURRENT_LIST_DIR}/notificationchannel.h
    ${CMAKE_CURRENT_LIST_DIR}/desktopchannel.cpp ${CMAKE_CURRENT_LIST_DIR}/desktopchannel.h
    ${CMAKE_CURRENT_LIST_DIR}/webhookchannel.cpp ${CMAKE_CURRENT_LIST_DIR}/webhookchannel.h
    ${CMAKE_CURRENT_LIST_DIR}/commandchannel.cpp ${CMAKE_CURRENT_LIST_DIR}/commandchannel.h
    ${CMAKE_CURRENT_LIST_DIR}/alertdispatcher.cpp ${CMAKE_CURRENT_LIST_DIR}/alertdispatcher.h
)
