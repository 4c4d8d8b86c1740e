target_sources(servewatch_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/proberequest.cpp ${CMAKE_CURRENT_LIST_DIR}/proberequest.h
    ${CMAKE_CURRENT_LIST_DIR}/attemptresult.h
    ${CMAKE_CURRENT_LIST_DIR}/phasetimings.h
)
