target_sources(servewatch_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/proberequest.cpp ${CMAKE_CURRENT_LIST_DIR}/proberequest.h
    ${CMAKE_CURRENT_LIST_DIR}/attemptresult.h
    ${CMAKE_CURRENT_LIST_DIR}/phasetimings.h
    ${CMAKE_CURRENT_LIST_DIR}/classifier.cpp ${CMAKE_CURRENT_LIST_DIR}/classifier.h
    ${CMAKE_CURRENT_LIST_DIR}/httpattempt.cpp ${CMAKE_CURRENT_LIST_DIR}/httpattempt.h
    ${CMAKE_CURRENT_LIST_DIR}/secretscrub.cpp ${CMAKE_CURRENT_LIST_DIR}/secretscrub.h
    ${CMAKE_CURRENT_LIST_DIR}/probe.cpp ${CMAKE_CURRENT_LIST_DIR}/probe.h
    ${CMAKE_CURRENT_LIST_DIR}/probeengine.cpp ${CMAKE_CURRENT_LIST_DIR}/probeengine.h
)
