/** The roles every installation has. `admin` passes every check. */
export const systemRoles = [
  { name: 'admin', description: 'Administrator: passes every permission check' },
  { name: 'user', description: 'Registered user' },
  { name: 'teacher', description: 'Teacher: sees studies, sessions and participants' },
  { name: 'mentor', description: 'Mentor: sees studies, sessions and participants' },
  { name: 'student', description: 'Student' },
  { name: 'guest', description: 'Guest account' },
] as const

export type SystemRoleName = (typeof systemRoles)[number]['name']

/** The rights catalogue, and the roles that hold each right by default besides admin. */
export const rightsCatalogue: readonly { name: string; description: string; roles: readonly SystemRoleName[] }[] = [
  { name: 'frontend.dashboard.home.view', description: 'Dashboard: home tab', roles: ['user', 'guest'] },
  { name: 'frontend.dashboard.documents.view', description: 'Dashboard: documents tab', roles: ['user', 'guest'] },
  { name: 'frontend.dashboard.tags.view', description: 'Dashboard: tags tab', roles: ['user', 'guest'] },
  { name: 'frontend.dashboard.projects.view', description: 'Dashboard: projects tab', roles: ['user', 'guest'] },
  { name: 'frontend.dashboard.studies.view', description: 'Dashboard: studies tab', roles: ['user', 'guest'] },
  { name: 'frontend.dashboard.study_sessions.view', description: 'Dashboard: study sessions tab', roles: ['user', 'guest'] },
  { name: 'frontend.dashboard.studies.fullAccess', description: 'See all studies, sessions and steps', roles: ['teacher', 'mentor'] },
  { name: 'frontend.dashboard.studies.view.readOnly', description: 'Open study sessions read-only', roles: ['teacher', 'mentor'] },
  { name: 'frontend.dashboard.studies.view.userPrivateInfo', description: 'See names, email and external id of users', roles: ['teacher', 'mentor'] },
  { name: 'frontend.dashboard.studies.addBulkAssignments', description: 'Create assignments in bulk', roles: [] },
  { name: 'frontend.dashboard.studies.addSingleAssignments', description: 'Create single assignments', roles: [] },
  { name: 'frontend.dashboard.users.view', description: 'Dashboard: users tab', roles: [] },
  { name: 'backend.socket.user.getUsers.student', description: 'List students', roles: ['teacher'] },
  { name: 'backend.socket.user.getUsers.mentor', description: 'List mentors', roles: ['teacher'] },
  { name: 'backend.socket.user.getUsers.all', description: 'List all users', roles: [] },
  { name: 'study.template.delete', description: 'Delete study templates', roles: ['admin'] },
  { name: 'frontend.dashboard.studies.closeAllStudies', description: "Close every study of a project, other users' too", roles: [] },
  { name: 'backend.export.allUsers', description: "Export every user's annotations, comments and votes of a document, drafts included", roles: ['teacher', 'mentor'] },
  { name: 'frontend.dashboard.submissions.manage', description: "See every user's submissions, group and copy them", roles: [] },
]

/** The right that grants access to every document used in a study. */
export const studiesFullAccessRight = 'frontend.dashboard.studies.fullAccess'
/** The right to close every study of a project at once (studyCloseBulk), not only one's own. */
export const closeAllStudiesRight = 'frontend.dashboard.studies.closeAllStudies'
/** The right that shows users' private columns (names, email, external id). */
export const userPrivateInfoRight = 'frontend.dashboard.studies.view.userPrivateInfo'
/** The right to export every user's entries of a document, not only what the caller sees in the app. */
export const exportAllUsersRight = 'backend.export.allUsers'
/** The right to hand out peer reviews one document at a time (assignmentCreate, assignmentAdd). */
export const singleAssignmentsRight = 'frontend.dashboard.studies.addSingleAssignments'
/** The right to distribute peer reviews over a class at once (assignmentCreateBulk). */
export const bulkAssignmentsRight = 'frontend.dashboard.studies.addBulkAssignments'
/** The right to see every user's submissions and to group and copy them (submissionAssignGroup). */
export const manageSubmissionsRight = 'frontend.dashboard.submissions.manage'
