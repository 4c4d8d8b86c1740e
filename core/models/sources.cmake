target_sources(servewatch_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/modelroles.h
    ${CMAKE_CURRENT_LIST_DIR}/endpointstatusmodel.cpp ${CMAKE_CURRENT_LIST_DIR}/endpointstatusmodel.h
    ${CMAKE_CURRENT_LIST_DIR}/endpointstatusmodeldata.cpp ${CMAKE_CURRENT_LIST_DIR}/endpointstatusmodelremote.cpp ${CMAKE_CURRENT_LIST_DIR}/endpointstatusmodelitem.h
)
