# sources of ui/dialogs: resend test request, endpoint editor, preferences
target_sources(servewatch_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/endpointactions.cpp ${CMAKE_CURRENT_LIST_DIR}/endpointactions.h
    ${CMAKE_CURRENT_LIST_DIR}/endpointeditordialog.cpp ${CMAKE_CURRENT_LIST_DIR}/endpointeditordialog.h
    ${CMAKE_CURRENT_LIST_DIR}/endpointeditorform.cpp ${CMAKE_CURRENT_LIST_DIR}/endpointeditorform.h
    ${CMAKE_CURRENT_LIST_DIR}/endpointeditorpages.cpp
    ${CMAKE_CURRENT_LIST_DIR}/fielderrors.cpp ${CMAKE_CURRENT_LIST_DIR}/fielderrors.h
    ${CMAKE_CURRENT_LIST_DIR}/formfields.cpp ${CMAKE_CURRENT_LIST_DIR}/formfields.h
    ${CMAKE_CURRENT_LIST_DIR}/headerstable.cpp ${CMAKE_CURRENT_LIST_DIR}/headerstable.h
    ${CMAKE_CURRENT_LIST_DIR}/jsonbodyedit.cpp ${CMAKE_CURRENT_LIST_DIR}/jsonbodyedit.h
    ${CMAKE_CURRENT_LIST_DIR}/maintenanceeditor.cpp ${CMAKE_CURRENT_LIST_DIR}/maintenanceeditor.h
    ${CMAKE_CURRENT_LIST_DIR}/preferences.cpp ${CMAKE_CURRENT_LIST_DIR}/preferences.h
    ${CMAKE_CURRENT_LIST_DIR}/preferencesdialog.cpp ${CMAKE_CURRENT_LIST_DIR}/preferencesdialog.h
    ${CMAKE_CURRENT_LIST_DIR}/preparedrequest.cpp ${CMAKE_CURRENT_LIST_DIR}/preparedrequest.h
    ${CMAKE_CURRENT_LIST_DIR}/probepresentation.cpp ${CMAKE_CURRENT_LIST_DIR}/probepresentation.h
    ${CMAKE_CURRENT_LIST_DIR}/resenddialog.cpp ${CMAKE_CURRENT_LIST_DIR}/resenddialog.h
    ${CMAKE_CURRENT_LIST_DIR}/sourcesdialog.cpp ${CMAKE_CURRENT_LIST_DIR}/sourcesdialog.h
)
