target_sources(servewatch_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/endpointstate.cpp ${CMAKE_CURRENT_LIST_DIR}/endpointstate.h
    ${CMAKE_CURRENT_LIST_DIR}/clock.cpp ${CMAKE_CURRENT_LIST_DIR}/clock.h
    ${CMAKE_CURRENT_LIST_DIR}/scheduler.cpp ${CMAKE_CURRENT_LIST_DIR}/scheduler.h
    ${CMAKE_CURRENT_LIST_DIR}/statemachine.cpp ${CMAKE_CURRENT_LIST_DIR}/statemachine.h
)
target_sources(servewatch_core PRIVATE ${CMAKE_CURRENT_LIST_DIR}/followups.cpp ${CMAKE_CURRENT_LIST_DIR}/followups.h)
target_sources(servewatch_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/endpointrequest.cpp ${CMAKE_CURRENT_LIST_DIR}/endpointrequest.h
    ${CMAKE_CURRENT_LIST_DIR}/monitor.cpp ${CMAKE_CURRENT_LIST_DIR}/monitor.h
)
target_sources(servewatch_core PRIVATE ${CMAKE_CURRENT_LIST_DIR}/historyrecorder.cpp ${CMAKE_CURRENT_LIST_DIR}/historyrecorder.h)
target_sources(servewatch_core PRIVATE ${CMAKE_CURRENT_LIST_DIR}/presetwiring.cpp ${CMAKE_CURRENT_LIST_DIR}/presetwiring.h)
