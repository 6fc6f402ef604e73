import { type Routes } from '@angular/router';

/** One lazy chunk per page; a route's `:id` arrives as the component's `id` input. */
export const routes: Routes = [
  { path: '', pathMatch: 'full', redirectTo: 'tasks' },
  {
    path: 'tasks',
    title: 'Tasks · Kairos',
    loadComponent: () => import('./tasks/task-list/task-list').then((m) => m.TaskList),
  },
  {
    path: 'tasks/new',
    title: 'New task · Kairos',
    loadComponent: () => import('./tasks/task-form/task-form').then((m) => m.TaskForm),
  },
  {
    path: 'tasks/:id',
    title: 'Task · Kairos',
    loadComponent: () => import('./tasks/task-detail/task-detail').then((m) => m.TaskDetail),
  },
  {
    path: 'tasks/:id/edit',
    title: 'Edit task · Kairos',
    loadComponent: () => import('./tasks/task-form/task-form').then((m) => m.TaskForm),
  },
  {
    path: 'calendars',
    title: 'Calendars · Kairos',
    loadComponent: () => import('./calendars/calendar-list/calendar-list').then((m) => m.CalendarList),
  },
  {
    path: 'calendars/new',
    title: 'New calendar · Kairos',
    loadComponent: () => import('./calendars/calendar-editor/calendar-editor').then((m) => m.CalendarEditor),
  },
  {
    path: 'calendars/:id',
    title: 'Calendar · Kairos',
    loadComponent: () => import('./calendars/calendar-editor/calendar-editor').then((m) => m.CalendarEditor),
  },
  {
    path: 'dashboard',
    title: 'Dashboard · Kairos',
    loadComponent: () => import('./dashboard/dashboard').then((m) => m.Dashboard),
  },
  { path: '**', redirectTo: 'tasks' },
];
