target_sources(servewatch_core PRIVATE
)
