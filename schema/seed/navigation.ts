/** A group of the dashboard menu every installation starts with. */
export interface NavGroupSeed {
  name: string
  admin: boolean
}

/** A dashboard menu entry every installation starts with; `group` names its group. */
export interface NavElementSeed {
  name: string
  group: string
  icon: string
  order: number
  admin: boolean
  path: string
  component: string
}

export const navGroupSeeds: readonly NavGroupSeed[] = [
  { name: 'Default', admin: false },
  { name: 'Admin', admin: true },
]

/** The menu a CARE-like dashboard builds: `admin` entries are for administrators. */
export const navElementSeeds: readonly NavElementSeed[] = [
  { name: 'Home', group: 'Default', icon: 'house', order: 1, admin: false, path: 'home', component: 'Home' },
  { name: 'Documents', group: 'Default', icon: 'file-earmark-text', order: 10, admin: false, path: 'documents', component: 'Documents' },
  { name: 'Tags', group: 'Default', icon: 'tags-fill', order: 10, admin: false, path: 'tags', component: 'Tags' },
  { name: 'Studies', group: 'Default', icon: 'clipboard2-pulse', order: 11, admin: false, path: 'studies', component: 'Study' },
  { name: 'Study Sessions', group: 'Default', icon: 'person-video3', order: 12, admin: false, path: 'study_sessions', component: 'StudySession' },
  { name: 'Projects', group: 'Default', icon: 'inboxes-fill', order: 13, admin: false, path: 'projects', component: 'Projects' },
  { name: 'Submissions', group: 'Admin', icon: 'file-earmark-richtext', order: 9, admin: true, path: 'submissions', component: 'Submissions' },
  { name: 'Settings', group: 'Admin', icon: 'gear-fill', order: 10, admin: true, path: 'settings', component: 'Settings' },
  { name: 'NLP Skills', group: 'Admin', icon: 'cpu', order: 10, admin: true, path: 'nlp_skills', component: 'NlpSkills' },
  { name: 'User Statistics', group: 'Admin', icon: 'bar-chart-steps', order: 10, admin: true, path: 'user_stats', component: 'UserStatistics' },
  { name: 'Users', group: 'Admin', icon: 'people', order: 10, admin: true, path: 'users', component: 'Users' },
  { name: 'Logs', group: 'Admin', icon: 'bug-fill', order: 11, admin: true, path: 'logs', component: 'Log' },
  { name: 'Configurations', group: 'Admin', icon: 'clipboard-check', order: 15, admin: false, path: 'configurations', component: 'Configurations' },
]
