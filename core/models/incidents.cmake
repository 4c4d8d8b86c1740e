# The incident table model and its CSV / JSON export.
target_sources(servewatch_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/incidenttablemodel.cpp ${CMAKE_CURRENT_LIST_DIR}/incidenttablemodel.h
)
