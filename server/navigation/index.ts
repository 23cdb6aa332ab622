/** The dashboard menu (`nav_group`, `nav_element`, synced tables): its seed. */
export { seedNavigation } from './seedNavigation.js'
