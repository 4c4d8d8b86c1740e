# sources of ui/detail: the detail pane of the selected endpoint (timeline, waterfall, diagnosis,
# incidents)
target_sources(servewatch_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/acknowledgedialog.cpp ${CMAKE_CURRENT_LIST_DIR}/acknowledgedialog.h
    ${CMAKE_CURRENT_LIST_DIR}/detailpane.cpp ${CMAKE_CURRENT_LIST_DIR}/detailpane.h
    ${CMAKE_CURRENT_LIST_DIR}/diagnosisview.cpp ${CMAKE_CURRENT_LIST_DIR}/diagnosisview.h
    ${CMAKE_CURRENT_LIST_DIR}/incidentproxymodel.cpp ${CMAKE_CURRENT_LIST_DIR}/incidentproxymodel.h
    ${CMAKE_CURRENT_LIST_DIR}/incidentsview.cpp ${CMAKE_CURRENT_LIST_DIR}/incidentsview.h
    ${CMAKE_CURRENT_LIST_DIR}/recordreport.cpp ${CMAKE_CURRENT_LIST_DIR}/recordreport.h
    ${CMAKE_CURRENT_LIST_DIR}/remotedetailview.cpp ${CMAKE_CURRENT_LIST_DIR}/remotedetailview.h
    ${CMAKE_CURRENT_LIST_DIR}/timelinechart.cpp ${CMAKE_CURRENT_LIST_DIR}/timelinechart.h
    ${CMAKE_CURRENT_LIST_DIR}/timelinechartview.cpp ${CMAKE_CURRENT_LIST_DIR}/timelinechartview.h
    ${CMAKE_CURRENT_LIST_DIR}/timelinedata.cpp ${CMAKE_CURRENT_LIST_DIR}/timelinedata.h
    ${CMAKE_CURRENT_LIST_DIR}/waterfallwidget.cpp ${CMAKE_CURRENT_LIST_DIR}/waterfallwidget.h
)
