target_sources(servewatch_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/endpointstate.cpp ${CMAKE_CURRENT_LIST_DIR}/endpointstate.h
    ${CMAKE_CURRENT_LIST_DIR}/clock.cpp ${CMAKE_CURRENT_LIST_DIR}/clock.h
    ${CMAKE_CURRENT_LIST_DIR}/scheduler.cpp ${CMAKE_CURRENT_LIST_DIR}/scheduler.h
    ${CMAKE_CURRENT_LIST_DIR}/statemachine.cpp ${CMAKE_CURRENT_LIST_DIR}/statemachine.h
)
