# sources of core/config
target_sources(servewatch_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/endpointconfig.cpp ${CMAKE_CURRENT_LIST_DIR}/endpointconfig.h
    ${CMAKE_CURRENT_LIST_DIR}/localtime.h
    ${CMAKE_CURRENT_LIST_DIR}/envexpansion.cpp ${CMAKE_CURRENT_LIST_DIR}/envexpansion.h
    ${CMAKE_CURRENT_LIST_DIR}/durations.cpp ${CMAKE_CURRENT_LIST_DIR}/durations.h
    ${CMAKE_CURRENT_LIST_DIR}/jsonlocator.cpp ${CMAKE_CURRENT_LIST_DIR}/jsonlocator.h
    ${CMAKE_CURRENT_LIST_DIR}/configloader.cpp ${CMAKE_CURRENT_LIST_DIR}/configloader.h
    ${CMAKE_CURRENT_LIST_DIR}/configreader.cpp ${CMAKE_CURRENT_LIST_DIR}/configreader.h
    ${CMAKE_CURRENT_LIST_DIR}/configendpoint.cpp
    ${CMAKE_CURRENT_LIST_DIR}/configrequest.cpp
    ${CMAKE_CURRENT_LIST_DIR}/configtransport.cpp
    ${CMAKE_CURRENT_LIST_DIR}/configmaintenance.cpp
    ${CMAKE_CURRENT_LIST_DIR}/configchannels.cpp
    ${CMAKE_CURRENT_LIST_DIR}/configwriter.cpp ${CMAKE_CURRENT_LIST_DIR}/configwriter.h
    ${CMAKE_CURRENT_LIST_DIR}/configwatcher.cpp ${CMAKE_CURRENT_LIST_DIR}/configwatcher.h
)
